package org.slapgrid.recipes.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.slapgrid.buildout.spi.Options;

/** Unix permission bits as SlapOS profiles write them: octal, leading 0 optional ({@code 750}, {@code 0o750}). */
public final class Modes {

    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    private Modes() {
    }

    /** The option's octal mode, {@code defaultMode} when absent or empty, or an error naming the option. */
    public static Integer option(Options options, String option, Integer defaultMode) {
        String text = options.get(option, "").strip();
        if (text.isEmpty()) {
            return defaultMode;
        }
        String digits = text.startsWith("0o") || text.startsWith("0O") ? text.substring(2) : text;
        if (!digits.matches("[0-7]{1,4}")) {
            throw options.error(option, "not an octal file mode: '" + text + "'");
        }
        int mode = Integer.parseInt(digits, 8);
        if (mode > 0777) {
            throw options.error(option, "only permission bits (at most 0777) are supported: '" + text + "'");
        }
        return mode;
    }

    public static int get(Path path) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        int mode = 0;
        for (int i = 0; i < BITS.length; i++) {
            if (perms.contains(BITS[i])) {
                mode |= 1 << i;
            }
        }
        return mode;
    }

    public static void set(Path path, int mode) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((mode & (1 << i)) != 0) {
                perms.add(BITS[i]);
            }
        }
        Files.setPosixFilePermissions(path, perms);
    }
}
