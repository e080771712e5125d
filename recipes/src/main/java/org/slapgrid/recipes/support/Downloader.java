package org.slapgrid.recipes.support;

import org.slapgrid.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.BuildoutException;

/**
 * Fetches {@code http(s)://}, {@code file://} URLs and plain paths (relative to the buildout
 * directory). The checksum is computed while the bytes stream to a temporary file beside the
 * target, and the file is renamed into place only when it matches: a bad download never
 * appears under the target name. Remote files are kept in the download cache
 * ({@code buildout:download-cache}, shared between releases), keyed by the SHA-256 of the URL.
 */
public final class Downloader {

    /** Created on first remote download only: an HttpClient starts a thread, local files need none. */
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    private final BuildoutContext buildout;
    private final String section;
    private final String urlOption;

    public Downloader(BuildoutContext buildout, String section, String urlOption) {
        this.buildout = buildout;
        this.section = section;
        this.urlOption = urlOption;
    }

    /** The download cache directory, if {@code buildout:download-cache} is set. */
    public Optional<Path> cacheDirectory() {
        String dir = buildout.buildout().get("download-cache", "").strip();
        return dir.isEmpty() ? Optional.empty() : Optional.of(buildout.directory().resolve(dir));
    }

    /** True for http and https URLs. */
    public static boolean isRemote(String url) {
        return url.startsWith("http://") || url.startsWith("https://");
    }

    /** Downloads {@code url} to {@code target}, verifying {@code checksum} while streaming. */
    public void download(String url, Optional<Checksum> checksum, Path target) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Optional<Path> cached = cachedFile(url);
            if (cached.isPresent() && Files.isRegularFile(cached.get())) {
                buildout.log(section, "Using cached download of " + url);
                try {
                    copyVerified(url, Files.newInputStream(cached.get()), checksum, target);
                    return;
                } catch (BuildoutException corrupt) {
                    // A cache entry that no longer matches is dropped and fetched again.
                    Files.deleteIfExists(cached.get());
                    buildout.log(section, "Cached download of " + url + " does not match its checksum: dropped");
                }
            }
            if (isRemote(url)) {
                if (buildout.offline()) {
                    throw Failures.of(section, urlOption, "cannot download " + url + " in offline mode (not in the download cache)");
                }
                buildout.log(section, "Downloading " + url);
                fetchRetryingTransientErrors(url, checksum, target);
                if (cached.isPresent()) {
                    Files.createDirectories(cached.get().getParent());
                    Path temp = Files.createTempFile(cached.get().getParent(), ".download", ".tmp");
                    try {
                        Files.copy(target, temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        AtomicFiles.move(temp, cached.get());
                    } finally {
                        Files.deleteIfExists(temp);
                    }
                }
            } else {
                Path local = localPath(url);
                if (!Files.isRegularFile(local)) {
                    throw Failures.of(section, urlOption, "file not found: " + url);
                }
                copyVerified(url, Files.newInputStream(local), checksum, target);
            }
        } catch (IOException e) {
            throw Failures.of(section, urlOption, "cannot download " + url + ": " + e, e);
        }
    }

    /** Reads a small text resource (a template) from a URL or path, checking the checksum. */
    public String readText(String url, Optional<Checksum> checksum) {
        try {
            byte[] data;
            if (isRemote(url)) {
                if (buildout.offline()) {
                    throw Failures.of(section, urlOption, "cannot download " + url + " in offline mode");
                }
                try (InputStream in = openHttp(url)) {
                    data = in.readAllBytes();
                }
            } else {
                Path local = localPath(url);
                if (!Files.isRegularFile(local)) {
                    throw BuildoutException.configuration(null, section, urlOption, "file not found: " + local);
                }
                data = Files.readAllBytes(local);
            }
            if (checksum.isPresent() && !checksum.get().matches(checksum.get().newDigest().digest(data))) {
                throw BuildoutException.configuration(null, section, checksum.get().option(),
                        "checksum mismatch for " + url + ": expected " + checksum.get().hex() + ", got "
                                + Checksum.hex(checksum.get().algorithm(), data));
            }
            return new String(data, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw BuildoutException.configuration(null, section, urlOption, "cannot read " + url + ": " + e);
        }
    }

    /** A {@code file://} URL or a plain path, relative ones against the buildout directory. */
    public Path localPath(String url) {
        if (url.startsWith("file://")) {
            return Path.of(URI.create(url));
        }
        return buildout.directory().resolve(url);
    }

    private Optional<Path> cachedFile(String url) {
        if (!isRemote(url)) {
            return Optional.empty();
        }
        return cacheDirectory().map(dir -> dir.resolve(Checksum.hex("SHA-256", url.getBytes(StandardCharsets.UTF_8))));
    }

    /** Attempts of one download: a connection reset or closed mid-transfer is usually gone a second later. */
    private static final int DOWNLOAD_ATTEMPTS = 3;

    /**
     * Fetches {@code url} into {@code target}, trying again after a transient network error (an
     * I/O error: reset, closed, timed out), as {@code curl --retry} does. An HTTP error status or a
     * checksum mismatch is an answer, not an accident, and is never retried.
     */
    private void fetchRetryingTransientErrors(String url, Optional<Checksum> checksum, Path target) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                copyVerified(url, openHttp(url), checksum, target);
                return;
            } catch (IOException e) {
                if (attempt >= DOWNLOAD_ATTEMPTS || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                buildout.log(section, "Download of " + url + " failed (" + e + "); trying again ("
                        + (attempt + 1) + " of " + DOWNLOAD_ATTEMPTS + ")");
                try {
                    Thread.sleep(500L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private InputStream openHttp(String url) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(30)).GET().build();
        try {
            HttpResponse<InputStream> response = Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw Failures.of(section, urlOption, "cannot download " + url + ": HTTP status " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void copyVerified(String url, InputStream source, Optional<Checksum> checksum, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
        try {
            MessageDigest digest = checksum.map(Checksum::newDigest).orElse(null);
            try (InputStream in = digest == null ? source : new DigestInputStream(source, digest);
                 OutputStream out = Files.newOutputStream(temp)) {
                in.transferTo(out);
            }
            if (digest != null) {
                byte[] actual = digest.digest();
                if (!checksum.get().matches(actual)) {
                    throw Failures.of(section, checksum.get().option(), "checksum mismatch for " + url + ": expected "
                            + checksum.get().option() + " " + checksum.get().hex() + ", got " + HexFormat.of().formatHex(actual));
                }
            }
            AtomicFiles.move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
