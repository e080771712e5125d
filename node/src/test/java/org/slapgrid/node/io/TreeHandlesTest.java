package org.slapgrid.node.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The race of issue 10 finding 1c on the deletion itself: while root deletes a tree, its owner
 * swaps a directory of it for a link to a directory of root's, again and again. Deleting
 * through directory handles never reaches into the link's target.
 */
class TreeHandlesTest {

    @TempDir
    Path tmp;

    @Test
    void aDirectorySwappedForALinkDuringTheDeletionLeadsNowhereOutsideTheTree() throws Exception {
        Path target = Files.createDirectories(tmp.resolve("root-only"));
        for (int i = 0; i < 100; i++) {
            Files.writeString(target.resolve("f" + i), "root's\n");
        }
        for (int round = 0; round < 20; round++) {
            Path tree = Files.createDirectories(tmp.resolve("tree" + round));
            Path victim = Files.createDirectories(tree.resolve("victim"));
            for (int i = 0; i < 100; i++) {
                Files.writeString(victim.resolve("f" + i), "x");
                Files.writeString(tree.resolve("w" + i), "x");
            }
            AtomicBoolean stop = new AtomicBoolean();
            Thread swapper = new Thread(() -> {
                Path moved = tree.resolve("victim.old");
                while (!stop.get()) {
                    try {
                        Files.move(victim, moved);
                        Files.createSymbolicLink(victim, target);
                        Files.delete(victim);
                        Files.move(moved, victim);
                    } catch (IOException e) {
                        // the deletion got there first: try again
                    }
                }
            });
            swapper.start();
            try {
                TreeHandles.delete(tree);
            } catch (IOException e) {
                // a swap under the walk may make it fail; it must never reach the target
            } finally {
                stop.set(true);
                swapper.join();
            }
            try (Stream<Path> left = Files.list(target)) {
                assertThat(left.count()).as("round %d", round).isEqualTo(100);
            }
        }
    }

    @Test
    void aLinkAtTheTopIsRemovedNotFollowed() throws Exception {
        Path target = Files.createDirectories(tmp.resolve("root-only"));
        Files.writeString(target.resolve("kept"), "root's\n");
        Path link = Files.createSymbolicLink(tmp.resolve("release"), target);
        TreeHandles.delete(link);
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(target.resolve("kept")).hasContent("root's");
        TreeHandles.delete(tmp.resolve("absent")); // nothing to do
    }

    @Test
    void aNestedTreeIsDeletedWholeAndALinkInsideItIsRemovedNotFollowed() throws Exception {
        Path target = Files.createDirectories(tmp.resolve("root-only"));
        Files.writeString(target.resolve("kept"), "root's\n");
        Path tree = tmp.resolve("tree");
        Path deep = Files.createDirectories(tree.resolve("a/b/c"));
        Files.writeString(deep.resolve("f"), "x");
        Files.writeString(tree.resolve("a/g"), "x");
        Files.createDirectories(tree.resolve("empty"));
        Files.createSymbolicLink(tree.resolve("a/b/link"), target);
        TreeHandles.delete(tree);
        assertThat(Files.exists(tree, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(target.resolve("kept")).hasContent("root's");
    }
}
