package org.slapgrid.node.compliance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slapgrid.node.NodeFixture;

/** A test release that installs one compliance module into its instances ({@code compliance/}). */
final class ComplianceRelease {
    private ComplianceRelease() {
    }

    /** Writes {@code dir}'s release with {@code compliance/<module>} = {@code script}; returns its URL. */
    static String withModule(Path dir, String module, String script) throws IOException {
        Path modules = Files.createDirectories(dir.resolve("compliance"));
        Files.setPosixFilePermissions(modules, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = modules.resolve(module);
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return NodeFixture.writeRelease(dir, """
                [buildout]
                parts = modules instance-profile

                [modules]
                recipe = plone.recipe.command
                command = cp -R ${:_profile_base_location_}/compliance ${buildout:directory}/compliance
                stop-on-error = true
                """, "[buildout]\nparts =\n");
    }
}
