package org.slapgrid.node.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.zeroturnaround.exec.InvalidExitValueException;
import org.zeroturnaround.exec.ProcessExecutor;

/**
 * Multi-user mode (root): partition N belongs to the user {@code <prefix>N} (the node's
 * {@code user_base_name}, {@code slapuserN} by default) and its own
 * group, created with {@code useradd} when missing, with a locked password, no login shell and
 * the partition as home directory.
 */
public final class UnixAccounts implements PartitionAccounts {

    private final String prefix;

    public UnixAccounts(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public String ensureUser(int partitionIndex, Path home) throws IOException {
        return ensurePartitionUser(prefix + partitionIndex, home);
    }

    /**
     * A partition's user is a regular account (UID_MIN and up, as SlapOS's own format makes
     * them), not a system one: the system range (100-999 on Debian) holds fewer than 900
     * accounts for the whole machine, so a node of 1,000 partitions could not be formatted
     * ("Can't get unique GID"). No subordinate UID/GID range: partitions run no user namespaces.
     */
    static synchronized String ensurePartitionUser(String user, Path home) throws IOException {
        if (!exists(user)) {
            run("useradd", "--user-group", "--no-create-home", "--home-dir", home.toString(),
                    "--shell", "/usr/sbin/nologin", "-K", "SUB_UID_COUNT=0", "-K", "SUB_GID_COUNT=0", user);
        }
        return user;
    }

    /** Makes sure a system user of that name (and its own group) exists, e.g. a release's build user (one useradd at a time: it locks /etc/passwd). */
    public static synchronized String ensureNamedUser(String user, Path home) throws IOException {
        if (!exists(user)) {
            run("useradd", "--system", "--user-group", "--no-create-home", "--home-dir", home.toString(),
                    "--shell", "/usr/sbin/nologin", user);
        }
        return user;
    }

    @Override
    public void giveTo(Path path, String user) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(user);
        var owner = lookup.lookupPrincipalByName(user);
        if (!view.getOwner().equals(owner)) {
            view.setOwner(owner);
        }
        if (!view.readAttributes().group().equals(group)) {
            view.setGroup(group);
        }
    }

    /** Deletes a system user and its own group (its processes must be gone: userdel refuses otherwise). */
    public static void deleteUser(String user) throws IOException {
        run("userdel", user);
    }

    public static boolean exists(String user) {
        try {
            java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
            return true;
        } catch (UserPrincipalNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("cannot look up user " + user + ": " + e.getMessage(), e);
        }
    }

    private static void run(String... command) throws IOException {
        try {
            new ProcessExecutor().command(command).readOutput(true).exitValueNormal()
                    .timeout(60, TimeUnit.SECONDS).execute();
        } catch (InvalidExitValueException e) {
            throw new IOException(String.join(" ", command) + " failed (exit " + e.getExitValue() + "): "
                    + e.getResult().outputUTF8().strip(), e);
        } catch (TimeoutException e) {
            throw new IOException(String.join(" ", command) + " did not finish within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command[0], e);
        }
    }
}
