package org.slapgrid.node.software;

import org.slapgrid.slap.SoftwareUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand.ResetType;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Brings a git software release to a working tree with JGit: a clone the first time, a fetch
 * and a hard reset to the ref afterwards, so the tree always matches the ref exactly.
 */
public final class GitFetcher {

    /** Fetches {@code url.repository()} at {@code url.ref()} into {@code tree}; returns the commit id. */
    public String fetch(SoftwareUrl url, Path tree) throws IOException {
        try {
            Git git;
            if (Files.isDirectory(tree.resolve(".git"))) {
                git = Git.open(tree.toFile());
                git.fetch().setRemote("origin").setRemoveDeletedRefs(true)
                        .setRefSpecs("+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*").call();
            } else {
                Files.createDirectories(tree.getParent());
                git = Git.cloneRepository().setURI(url.repository()).setDirectory(tree.toFile()).setNoCheckout(true).call();
            }
            try (git) {
                String ref = url.ref() == null ? "refs/remotes/origin/HEAD" : url.ref();
                ObjectId commit = resolve(git, ref);
                if (commit == null) {
                    throw new IOException("git software release " + url.url() + ": no ref '" + url.ref() + "' in " + url.repository());
                }
                git.reset().setMode(ResetType.HARD).setRef(commit.name()).call();
                return commit.name();
            }
        } catch (GitAPIException e) {
            throw new IOException("git software release " + url.url() + ": " + e.getMessage(), e);
        }
    }

    private static ObjectId resolve(Git git, String ref) throws IOException {
        var repo = git.getRepository();
        for (String candidate : new String[] {"refs/remotes/origin/" + ref, "refs/tags/" + ref, ref}) {
            ObjectId id = repo.resolve(candidate + "^{commit}");
            if (id != null) {
                return id;
            }
        }
        return null;
    }
}
