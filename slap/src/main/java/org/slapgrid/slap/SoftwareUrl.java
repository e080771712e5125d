package org.slapgrid.slap;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A software release URL, in one of the forms a node accepts:
 * <ul>
 *   <li>a local path or {@code file://} URL of a {@code software.cfg};</li>
 *   <li>an {@code http://} or {@code https://} URL of a {@code software.cfg};</li>
 *   <li>a git repository: {@code git+<repository-url>[#<ref>][:<path>]} (also
 *       {@code <url ending in .git>[#<ref>][:<path>]}), fetched with JGit; the ref defaults to
 *       the remote's HEAD and the path to {@code software.cfg}. A git ref cannot contain
 *       {@code :}, so the form is unambiguous.</li>
 * </ul>
 * The release is built in {@code <software-root>/<md5 of the URL as given>}. The one owner of
 * these rules: the node parses a release with it, and the master refuses at supply (and request)
 * time a URL the node could not parse.
 */
public record SoftwareUrl(String url, Kind kind, String repository, String ref, String path) {

    public enum Kind { FILE, HTTP, GIT }

    public static SoftwareUrl parse(String url) {
        if (url == null || url.isBlank() || !url.strip().equals(url)) {
            throw new IllegalArgumentException("bad software release URL '" + url + "': empty or surrounded by spaces");
        }
        String spec = url.startsWith("git+") ? url.substring(4) : null;
        if (spec == null) {
            int hash = url.indexOf('#');
            String base = hash < 0 ? url : url.substring(0, hash);
            if (base.endsWith(".git") || base.endsWith(".git/")) {
                spec = url;
            }
        }
        if (spec != null) {
            String repository = spec;
            String ref = null;
            String path = "software.cfg";
            int hash = spec.indexOf('#');
            if (hash >= 0) {
                repository = spec.substring(0, hash);
                String rest = spec.substring(hash + 1);
                int colon = rest.indexOf(':');
                if (colon >= 0) {
                    path = rest.substring(colon + 1);
                    rest = rest.substring(0, colon);
                }
                ref = rest.isEmpty() ? null : rest;
            }
            if (repository.isEmpty() || path.isEmpty() || path.startsWith("/") || path.contains("..")) {
                throw new IllegalArgumentException("bad git software release URL '" + url
                        + "': expected git+<repository>[#<ref>][:<relative path to software.cfg>]");
            }
            return new SoftwareUrl(url, Kind.GIT, repository, ref, path);
        }
        if (url.startsWith("http://") || url.startsWith("https://")) {
            URI.create(url); // rejects malformed URLs with a clear message
            return new SoftwareUrl(url, Kind.HTTP, null, null, null);
        }
        if (url.startsWith("file:")) {
            return new SoftwareUrl(url, Kind.FILE, null, null, Path.of(URI.create(url)).toString());
        }
        if (url.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new IllegalArgumentException("bad software release URL '" + url
                    + "': only local paths, file://, http(s):// and git+ URLs are supported");
        }
        return new SoftwareUrl(url, Kind.FILE, null, null, Path.of(url).toAbsolutePath().normalize().toString());
    }

    /** The directory name of the release under the software root: the md5 of the URL. */
    public String directoryName() {
        return md5(url);
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
