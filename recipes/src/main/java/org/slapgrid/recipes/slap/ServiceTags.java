package org.slapgrid.recipes.slap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.recipes.support.OptionValues;
import org.slapgrid.slap.tags.TagExpression;

/**
 * The tags a profile gives what it installs (option {@code tags = sm pod16} of a wrapper, a
 * promise), recorded next to the executable in a hidden file {@code .<name>.tags}: one line, the
 * tags separated by spaces. Hidden, so that the node never takes it for a program or a promise;
 * next to the executable, so that it comes and goes with it (it is one of the part's installed
 * files). The one owner of that file's format: recipes write it, the node reads it.
 */
public final class ServiceTags {

    /** Most tags one executable carries, and most bytes of the file the node reads. */
    public static final int MAX_TAGS = 32;
    public static final int MAX_BYTES = 4096;

    private ServiceTags() {
    }

    /** The tags file of {@code executable}. */
    public static Path fileOf(Path executable) {
        return executable.resolveSibling("." + executable.getFileName() + ".tags");
    }

    /** The {@code tags} option: words, each a valid tag; an error names the section and option. */
    public static List<String> option(Options options) {
        List<String> tags = new ArrayList<>(new LinkedHashSet<>(OptionValues.words(options, "tags")));
        if (tags.size() > MAX_TAGS) {
            throw options.error("tags", "at most " + MAX_TAGS + " tags (got " + tags.size() + ")");
        }
        for (String t : tags) {
            try {
                TagExpression.checkTag(t, t);
            } catch (IllegalArgumentException e) {
                throw options.error("tags", e.getMessage().substring("tags: ".length()));
            }
        }
        return tags;
    }

    /**
     * Writes the tags of {@code executable} (none: removes an old file) and returns the files to
     * record as installed: the tags file when there is one.
     */
    public static Collection<Path> write(Path executable, List<String> tags) throws IOException {
        Path file = fileOf(executable);
        if (tags.isEmpty()) {
            Files.deleteIfExists(file);
            return List.of();
        }
        AtomicFiles.writeIfChanged(file, String.join(" ", tags) + "\n", 0644);
        return List.of(file);
    }

    /**
     * The tags in a tags file's content; words that are no tags are left out (the file is the
     * partition's: the node never fails on what a partition wrote there).
     */
    public static Set<String> decode(String content) {
        Set<String> tags = new LinkedHashSet<>();
        for (String word : content.strip().split("\\s+")) {
            if (tags.size() >= MAX_TAGS) {
                break;
            }
            try {
                if (!word.isEmpty()) {
                    tags.add(TagExpression.checkTag(word, word));
                }
            } catch (IllegalArgumentException ignored) {
                // not a tag: left out
            }
        }
        return tags;
    }

    /** Reads the tags file of {@code executable} (trusted callers: a recipe, a test). */
    public static Set<String> read(Path executable) throws IOException {
        Path file = fileOf(executable);
        return Files.isRegularFile(file) ? decode(Files.readString(file, StandardCharsets.UTF_8)) : Set.of();
    }
}
