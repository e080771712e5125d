package org.slapgrid.buildout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.slapgrid.buildout.Profiles.write;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.buildout.spi.BuildoutException;

/**
 * Profiles written the way SlapOS writes them: a software profile over a stack and component
 * files, conditional overrides, {@code ${:_profile_base_location_}}, {@code $${...}} for the
 * instance profile, and an instance profile with the tail slapgrid appends.
 */
class SlapOsStyleProfileTest {

    @TempDir
    Path dir;

    @Test
    void softwareProfileOverStackAndComponents() {
        write(dir, "component/zlib/buildout.cfg", """
                [buildout]
                parts = zlib

                [zlib]
                recipe = slapos.recipe.cmmi
                shared = true
                url = https://zlib.net/fossils/zlib-${:version}.tar.gz
                version = 1.3.1
                patches =
                  ${:_profile_base_location_}/zlib-fix.patch#0123
                """);
        write(dir, "component/gcc/buildout.cfg", """
                [buildout]
                extends = ../zlib/buildout.cfg
                parts = gcc

                [gcc]
                <= gcc-common
                version = 12.3.0

                [gcc-common]
                recipe = slapos.recipe.cmmi
                configure-options = --disable-multilib
                  --with-zlib=${zlib:location}

                [gcc-common:python2]
                configure-options = --python2-only

                [gcc-common:sys.version_info >= (3, 0) and os.name == 'posix']
                configure-options += --enable-py3
                """);
        write(dir, "stack/slapos.cfg", """
                [buildout]
                extends = ../component/gcc/buildout.cfg
                parts = slapos-cookbook
                versions = versions
                # comments between options are fine

                [slapos-cookbook]
                recipe = zc.recipe.egg
                eggs = slapos.cookbook

                [zlib]
                location = ${buildout:parts-directory}/${:_buildout_section_name_}

                [versions]
                slapos.cookbook = 1.0.499
                zc.buildout = 3.0.1+slapos010
                """);
        Path software = write(dir, "software/demo/software.cfg", """
                [buildout]
                extends =
                # the stack first
                  ../../stack/slapos.cfg
                parts +=
                  instance-profile

                [instance-profile]
                recipe = slapos.recipe.template
                url = ${:_profile_base_location_}/instance.cfg.in
                output = ${buildout:directory}/instance.cfg
                bin = ${buildout:bin-directory}
                template = $${directory:etc}/run and ${zlib:location}
                """);
        Map<String, Map<String, String>> all = Buildout.builder(software).build().resolveAll();
        Path sw = dir.resolve("software/demo");
        assertThat(all.get("buildout")).containsEntry("parts", "slapos-cookbook\ninstance-profile")
                .containsEntry("directory", sw.toString());
        assertThat(all.get("instance-profile")).containsEntry("url", sw + "/instance.cfg.in")
                .containsEntry("template", "${directory:etc}/run and " + sw + "/parts/zlib")
                .containsEntry("bin", sw + "/bin");
        assertThat(all.get("zlib")).containsEntry("patches", dir + "/component/zlib/zlib-fix.patch#0123")
                .containsEntry("url", "https://zlib.net/fossils/zlib-1.3.1.tar.gz")
                .containsEntry("_profile_base_location_", dir + "/stack");
        assertThat(all.get("gcc")).containsEntry("configure-options",
                "--disable-multilib\n--with-zlib=" + sw + "/parts/zlib\n--enable-py3").containsEntry("version", "12.3.0");
        assertThat(all.get("versions")).containsEntry("zc.buildout", "3.0.1+slapos010")
                .containsEntry("zc.recipe.egg", ">=2.0.6");
    }

    @Test
    void instanceProfileWithTheSlapgridTail() {
        Path instance = write(dir, "buildout.cfg", """
                [buildout]
                parts =
                  directory
                  publish
                eggs-directory = /opt/slapgrid/abc/eggs
                offline = true

                [slap-configuration]
                computer = ${slap-connection:computer-id}
                partition = ${slap-connection:partition-id}
                configuration.name = John Doe

                [directory]
                recipe = slapos.cookbook:mkdirectory
                home = ${buildout:directory}
                etc = ${:home}/etc
                service = ${:etc}/service

                [publish]
                recipe = slapos.cookbook:publish
                name = Hello ${slap-configuration:configuration.name}!
                escaped = $${not:a-reference}

                # This is beginning of zc.buildout profile's tail added by slapgrid
                [buildout]
                # put buildout generated binaries in specific directory
                bin-directory = ${buildout:directory}/sbin
                # protect software and run parts offline
                offline = true

                [slap-connection]
                computer-id = COMP-1
                partition-id = slappart3
                server-url = http://127.0.0.1:1
                shared-part-list =
                  /opt/shared
                requested-state = started
                # This is end of zc.buildout profile's tail added by slapgrid
                """);
        Map<String, Map<String, String>> all = Buildout.builder(instance).build().resolveAll();
        assertThat(all.get("buildout")).containsEntry("bin-directory", dir + "/sbin").containsEntry("offline", "true")
                .containsEntry("parts", "directory\npublish");
        assertThat(all.get("directory")).containsEntry("service", dir + "/etc/service");
        assertThat(all.get("publish")).containsEntry("name", "Hello John Doe!").containsEntry("escaped", "${not:a-reference}");
        assertThat(all.get("slap-configuration")).containsEntry("partition", "slappart3");
        assertThat(all.get("slap-connection")).containsEntry("shared-part-list", "/opt/shared");
    }

    @Test
    void resolveWithRecipeConstructorsShowsComputedOptionsButNotSecrets() {
        Path p = write(dir, "buildout.cfg", "[buildout]\nparts =\n[gen]\nrecipe = test.recipes:computed\n[use]\nv = ${gen:computed}\n");
        Map<String, Map<String, String>> all = Buildout.builder(p).build().resolveAll(true);
        assertThat(all.get("gen")).containsEntry("computed", "gen-computed").doesNotContainKey("secret");
        assertThat(all.get("use")).containsEntry("v", "gen-computed");
        assertThatThrownBy(() -> Buildout.builder(p).build().resolveAll(false)).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("Referenced option does not exist: gen computed");
    }
}
