package org.slapgrid.recipes.build;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/** Builds test archives in memory with Commons Compress. Entries: name -> content (null: directory). */
final class Archives {

    private Archives() {
    }

    interface Wrapper {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    static byte[] tar(Map<String, String> entries, Wrapper compression) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream compressed = compression.wrap(bytes);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, String> e : entries.entrySet()) {
                if (e.getValue() == null) {
                    TarArchiveEntry entry = new TarArchiveEntry(e.getKey().endsWith("/") ? e.getKey() : e.getKey() + "/");
                    tar.putArchiveEntry(entry);
                } else if (e.getValue().startsWith("->")) {
                    TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), TarArchiveEntry.LF_SYMLINK);
                    entry.setLinkName(e.getValue().substring(2));
                    tar.putArchiveEntry(entry);
                } else {
                    byte[] data = e.getValue().getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                    entry.setSize(data.length);
                    entry.setMode(e.getKey().endsWith(".sh") || e.getKey().endsWith("configure") ? 0100755 : 0100644);
                    tar.putArchiveEntry(entry);
                    tar.write(data);
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    static byte[] tarGz(Map<String, String> entries) throws IOException {
        return tar(entries, GzipCompressorOutputStream::new);
    }

    static byte[] tarXz(Map<String, String> entries) throws IOException {
        return tar(entries, XZCompressorOutputStream::new);
    }

    static byte[] tarBz2(Map<String, String> entries) throws IOException {
        return tar(entries, BZip2CompressorOutputStream::new);
    }

    static byte[] zip(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                ZipArchiveEntry entry = new ZipArchiveEntry(e.getValue() == null && !e.getKey().endsWith("/") ? e.getKey() + "/" : e.getKey());
                zip.putArchiveEntry(entry);
                if (e.getValue() != null) {
                    zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                }
                zip.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
