package org.slapgrid.node.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.slap.model.Compliance;
import org.slapgrid.slap.model.Compliance.Action;
import org.slapgrid.slap.model.Compliance.Attachment;
import org.slapgrid.slap.model.Compliance.Module;
import org.slapgrid.slap.model.Compliance.Moduleset;
import org.slapgrid.slap.model.Compliance.TargetKind;
import org.slapgrid.testing.Require;

/**
 * Each branch of OpenSVC's {@code fix} and {@code check} ({@code core/compliance.py}), through
 * the real {@link ComplianceRun}: a real master, a node building a release whose one module
 * answers what its ruleset says ({@code OSVC_COMP_CHECK}, {@code _FIXABLE}, {@code _FIX}; once
 * fixed, its check answers 0). "fix runs check, stops if ok, stops if fixable is not 0 or 2
 * ('not fixable'), else runs fix then check again".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComplianceFixSequenceTest {

    @TempDir
    static Path tmp;
    NodeFixture n;
    ComplianceRun run;
    Path fixedMark;

    @BeforeAll
    void start() throws Exception {
        Require.that(NodeFixture.ROOT, "node-level modules run as root");
        n = NodeFixture.start(tmp, "node-seq", "sgseq", 1);
        Path dir = tmp.resolve("release");
        Path modules = Files.createDirectories(dir.resolve("compliance"));
        Path module = modules.resolve("S10-branch");
        Files.writeString(module, """
                #!/bin/sh
                case $1 in
                check) [ -f "$OSVC_COMP_MARK" ] && exit 0; exit $OSVC_COMP_CHECK ;;
                fixable) exit $OSVC_COMP_FIXABLE ;;
                fix) [ "$OSVC_COMP_FIX" = 0 ] && touch "$OSVC_COMP_MARK"; exit $OSVC_COMP_FIX ;;
                esac
                """);
        Files.setPosixFilePermissions(module, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(modules, PosixFilePermissions.fromString("rwxr-xr-x"));
        String url = NodeFixture.writeRelease(dir, """
                [buildout]
                parts = modules

                [modules]
                recipe = plone.recipe.command
                command = cp -R ${:_profile_base_location_}/compliance ${buildout:directory}/compliance
                stop-on-error = true
                """, "[buildout]\nparts =\n");
        n.supplyAndBuild(url);
        fixedMark = Files.createDirectories(tmp.resolve("state")).resolve("fixed");
        n.admin().compliance().createRuleset("branch", Map.of("mark", fixedMark.toString(), "check", "1", "fixable", "2",
                "fix", "0"));
        n.admin().compliance().createModuleset(new Moduleset("plain", null, List.of(new Module("branch", false)), null,
                List.of("branch")));
        n.admin().compliance().attach(new Attachment(TargetKind.node, n.nodeId(), "plain", null));
        run = new ComplianceRun(n.config(), n.node(), n.assembled().limits(), new PartitionExecutor(), n.logger());
    }

    @AfterAll
    void stop() throws Exception {
        if (n != null) {
            n.close();
        }
    }

    /** Sets the module's answers and forgets an earlier fix. */
    private void answers(String check, String fixable, String fix) throws Exception {
        Files.deleteIfExists(fixedMark);
        n.admin().compliance().updateRuleset("branch", Map.of("check", check, "fixable", fixable, "fix", fix), null);
    }

    private ComplianceRun.ModuleOutcome one(Action action) throws Exception {
        List<ComplianceRun.ModuleOutcome> out = run.run(new ComplianceRun.Selection(action, null, "branch"), n.partitions()).modules();
        assertThat(out).as(n.log()).hasSize(1);
        return out.get(0);
    }

    @Test
    void fixStopsWhenTheCheckPasses() throws Exception {
        answers("0", "0", "0");
        ComplianceRun.ModuleOutcome o = one(Action.fix);
        assertThat(o.runs()).extracting(Compliance.Result::action, Compliance.Result::exitCode).containsExactly(tuple(Action.check, 0));
        assertThat(o.status()).isZero();
        assertThat(o.note()).isEqualTo("check passed, skip fix");
    }

    @Test
    void fixStopsWhenNotFixableAndEndsNotOk() throws Exception {
        answers("1", "1", "0");
        ComplianceRun.ModuleOutcome o = one(Action.fix);
        assertThat(o.runs()).extracting(Compliance.Result::action, Compliance.Result::exitCode)
                .containsExactly(tuple(Action.check, 1), tuple(Action.fixable, 1));
        assertThat(o.status()).isEqualTo(1);
        assertThat(o.note()).isEqualTo("not fixable, skip fix");
        assertThat(fixedMark).doesNotExist();
    }

    @Test
    void aNotApplicableCheckThatIsNotFixableEndsNotOkAsOpenSvcReturnsOne() throws Exception {
        answers("2", "3", "0");
        ComplianceRun.ModuleOutcome o = one(Action.fix);
        assertThat(o.runs()).extracting(Compliance.Result::action).containsExactly(Action.check, Action.fixable);
        assertThat(o.status()).isEqualTo(1);
        assertThat(o.ok()).isFalse();
    }

    @Test
    void fixableZeroOrTwoRunsFixThenCheckAgain() throws Exception {
        for (String fixable : List.of("0", "2")) {
            answers("1", fixable, "0");
            ComplianceRun.ModuleOutcome o = one(Action.fix);
            assertThat(o.runs()).extracting(Compliance.Result::action, Compliance.Result::exitCode).containsExactly(
                    tuple(Action.check, 1), tuple(Action.fixable, Integer.parseInt(fixable)), tuple(Action.fix, 0),
                    tuple(Action.check, 0));
            assertThat(o.status()).isZero();
            assertThat(o.note()).isEqualTo("fixed");
        }
    }

    @Test
    void aFailedFixEndsInTheStatusOfTheCheckAfterIt() throws Exception {
        answers("1", "2", "1");
        ComplianceRun.ModuleOutcome o = one(Action.fix);
        assertThat(o.runs()).extracting(Compliance.Result::action, Compliance.Result::exitCode).containsExactly(
                tuple(Action.check, 1), tuple(Action.fixable, 2), tuple(Action.fix, 1), tuple(Action.check, 1));
        assertThat(o.status()).isEqualTo(1);
        assertThat(o.note()).isEqualTo("fix exited 1");
    }

    @Test
    void aCheckThatFailsAlsoAsksFixableAndKeepsItsStatus() throws Exception {
        answers("1", "2", "0");
        ComplianceRun.ModuleOutcome o = one(Action.check);
        assertThat(o.runs()).extracting(Compliance.Result::action, Compliance.Result::exitCode)
                .containsExactly(tuple(Action.check, 1), tuple(Action.fixable, 2));
        assertThat(o.status()).isEqualTo(1);
        assertThat(fixedMark).doesNotExist();
        answers("2", "2", "0");
        assertThat(one(Action.check).runs()).extracting(Compliance.Result::action).containsExactly(Action.check);
    }

    @Test
    void fixableRunsOnlyFixable() throws Exception {
        answers("1", "1", "0");
        ComplianceRun.ModuleOutcome o = one(Action.fixable);
        assertThat(o.runs()).extracting(Compliance.Result::action).containsExactly(Action.fixable);
        assertThat(o.status()).isEqualTo(1);
    }

    @Test
    void autoChecksAModuleWithoutAutofixAndFixesOneWithIt() throws Exception {
        answers("1", "0", "0");
        assertThat(one(Action.auto).runs()).extracting(Compliance.Result::action).containsExactly(Action.check, Action.fixable);
        assertThat(fixedMark).doesNotExist();
        n.admin().compliance().updateModuleset("plain", new Compliance.ModulesetUpdate(List.of(new Module("branch", true)),
                null, null, null, null, null));
        try {
            assertThat(one(Action.auto).runs()).extracting(Compliance.Result::action)
                    .containsExactly(Action.check, Action.fixable, Action.fix, Action.check);
            assertThat(fixedMark).exists();
        } finally {
            n.admin().compliance().updateModuleset("plain", new Compliance.ModulesetUpdate(List.of(new Module("branch", false)),
                    null, null, null, null, null));
        }
    }
}
