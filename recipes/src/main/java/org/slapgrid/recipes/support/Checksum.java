package org.slapgrid.recipes.support;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.slapgrid.buildout.spi.Options;

/**
 * An expected digest of downloaded content, from the {@code md5sum} or {@code sha256} option.
 *
 * @param option    the option it came from (for error messages)
 * @param algorithm the {@link MessageDigest} algorithm
 * @param hex       the expected digest, lower-case hex
 */
public record Checksum(String option, String algorithm, String hex) {

    /** The checksum the section asks for, if any; a malformed value is an error naming the option. */
    public static Optional<Checksum> fromOptions(Options options) {
        String md5 = options.get("md5sum", "").strip();
        String sha256 = options.get("sha256", "").strip();
        if (!md5.isEmpty() && !sha256.isEmpty()) {
            throw options.error("sha256", "give either 'md5sum' or 'sha256', not both");
        }
        if (!md5.isEmpty()) {
            if (!md5.matches("[0-9a-fA-F]{32}")) {
                throw options.error("md5sum", "not an MD5 digest (32 hex digits): '" + md5 + "'");
            }
            return Optional.of(new Checksum("md5sum", "MD5", md5.toLowerCase(Locale.ROOT)));
        }
        if (!sha256.isEmpty()) {
            if (!sha256.matches("[0-9a-fA-F]{64}")) {
                throw options.error("sha256", "not a SHA-256 digest (64 hex digits): '" + sha256 + "'");
            }
            return Optional.of(new Checksum("sha256", "SHA-256", sha256.toLowerCase(Locale.ROOT)));
        }
        return Optional.empty();
    }

    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    public boolean matches(byte[] digest) {
        return HexFormat.of().formatHex(digest).equals(hex);
    }

    public static String hex(String algorithm, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
