package org.slapgrid.recipes.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.recipes.support.Bools;
import org.slapgrid.recipes.support.Failures;
import org.slapgrid.recipes.support.NamedFactory;
import org.slapgrid.recipes.support.OptionValues;

/**
 * {@code slapos.recipe.build:gitclone}: clones {@code repository} (JGit) into {@code location}
 * (default {@code parts/<section>}) at {@code revision} (a commit) or the head of
 * {@code branch} (default master). The clone is made beside the location and renamed, so a failed
 * clone leaves nothing. Update: with a revision, nothing unless the checkout moved; with a
 * branch, fetch and move to the new head only if it changed (never in offline mode, never with
 * {@code develop = true}, which leaves a working copy alone). Output {@code location}.
 */
public final class GitCloneRecipe implements Recipe {

    public static final class Factory extends NamedFactory {
        public Factory() {
            super("slapos.recipe.build:gitclone");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return new GitCloneRecipe(buildout, options);
        }
    }

    /** A stalled remote must not hold the partition forever. */
    private static final int NETWORK_TIMEOUT_SECONDS = 300;

    private final BuildoutContext buildout;
    private final String section;
    private final String repository;
    private final String branch;
    private final String revision;
    private final boolean develop;
    private final Path location;

    GitCloneRecipe(BuildoutContext buildout, Options options) {
        this.buildout = buildout;
        this.section = options.sectionName();
        this.repository = OptionValues.requiredText(options, "repository");
        this.branch = options.get("branch", "master").strip();
        this.revision = options.get("revision", "").strip();
        if (!revision.isEmpty() && !revision.matches("[0-9a-fA-F]{7,40}")) {
            throw options.error("revision", "expected a commit id (hex), got '" + revision + "'");
        }
        this.develop = Bools.option(options, "develop", false);
        this.location = OptionValues.partDirectory(buildout, options, "location");
        options.put("location", location.toString());
    }

    private String uri() {
        // A relative local path is relative to the buildout directory, not to the JVM's cwd.
        if (repository.contains("://") || repository.contains("@")) {
            return repository;
        }
        return buildout.directory().resolve(repository).toString();
    }

    @Override
    public Collection<Path> install() throws Exception {
        Files.createDirectories(location.toAbsolutePath().getParent());
        Path work = Files.createTempDirectory(location.toAbsolutePath().getParent(), "." + location.getFileName() + ".clone-");
        try {
            buildout.log(section, "Cloning " + repository + (revision.isEmpty() ? " (" + branch + ")" : " at " + revision));
            try (Git git = Git.cloneRepository().setURI(uri()).setDirectory(work.toFile())
                    .setBranch(branch).setCloneAllBranches(false).setTimeout(NETWORK_TIMEOUT_SECONDS).call()) {
                if (!revision.isEmpty()) {
                    checkoutRevision(git);
                }
            } catch (GitAPIException | org.eclipse.jgit.errors.RevisionSyntaxException e) {
                throw Failures.of(section, "repository", "cannot clone " + repository + ": " + e.getMessage(), e);
            }
            AtomicFiles.deleteTree(location);
            Files.move(work, location);
        } finally {
            AtomicFiles.deleteTree(work);
        }
        return List.of(location);
    }

    @Override
    public Collection<Path> update() throws Exception {
        if (develop) {
            return List.of();
        }
        if (!Files.isDirectory(location.resolve(".git"))) {
            return install();
        }
        try (Git git = Git.open(location.toFile())) {
            Repository repo = git.getRepository();
            ObjectId head = repo.resolve("HEAD");
            if (!revision.isEmpty()) {
                ObjectId wanted = repo.resolve(revision);
                if (wanted == null || !wanted.equals(head)) {
                    if (wanted == null && !buildout.offline()) {
                        git.fetch().setTimeout(NETWORK_TIMEOUT_SECONDS).call();
                    }
                    checkoutRevision(git);
                }
                return List.of();
            }
            if (buildout.offline()) {
                return List.of();
            }
            git.fetch().setRemote("origin").setTimeout(NETWORK_TIMEOUT_SECONDS).call();
            ObjectId remote = repo.resolve("refs/remotes/origin/" + branch);
            if (remote != null && !remote.equals(head)) {
                buildout.log(section, "Moving " + branch + " to " + remote.getName());
                git.reset().setMode(ResetCommand.ResetType.HARD).setRef(remote.getName()).call();
            }
        } catch (GitAPIException e) {
            throw Failures.of(section, "repository", "cannot update " + location + " from " + repository + ": " + e.getMessage(), e);
        }
        return List.of();
    }

    private void checkoutRevision(Git git) throws Exception {
        ObjectId id = git.getRepository().resolve(revision);
        if (id == null) {
            throw Failures.of(section, "revision", "revision " + revision + " not found in " + repository);
        }
        git.checkout().setName(id.getName()).call();
    }
}
