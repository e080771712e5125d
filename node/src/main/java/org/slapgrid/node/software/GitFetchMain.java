package org.slapgrid.node.software;

import java.io.IOException;
import java.nio.file.Path;

import org.slapgrid.slap.SoftwareUrl;

/**
 * The process that fetches a git release, run by the node as the release's build user (a child
 * JVM, as for its buildout): {@code GitFetchMain URL TREE} prints {@code commit <id>} on its
 * last line. Git never runs as root, so a repository the build user cannot read (a local path
 * of root's) cannot be fetched, and root never touches what the clone contains (links
 * included). Exit status: 0 fetched, 1 failed, 2 bad arguments.
 */
public final class GitFetchMain {

    static final String COMMIT_PREFIX = "commit ";

    private GitFetchMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: GitFetchMain <git software release URL> <working tree>");
            System.exit(2);
        }
        try {
            String commit = new GitFetcher().fetch(SoftwareUrl.parse(args[0]), Path.of(args[1]));
            System.out.println(COMMIT_PREFIX + commit);
            System.exit(0);
        } catch (IOException | RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    /** The commit id from the child's output, or null. */
    static String commitOf(String output) {
        String last = null;
        for (String line : output.split("\n")) {
            if (line.startsWith(COMMIT_PREFIX)) {
                last = line.substring(COMMIT_PREFIX.length()).strip();
            }
        }
        return last;
    }
}
