package org.slapgrid.buildout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.buildout.config.ConditionEvaluator;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.buildout.spi.SourceLocation;

class ConditionEvaluatorTest {

    private final ConditionEvaluator eval = ConditionEvaluator.standard();
    private final SourceLocation at = new SourceLocation("p.cfg", 7);

    private boolean ev(String e) {
        return eval.evaluate(e, at);
    }

    @Test
    void pythonFlagsAnswerAsPython311() {
        assertThat(ev("python3")).isTrue();
        assertThat(ev("python2")).isFalse();
        assertThat(ev("python311")).isTrue();
        assertThat(ev("python310 or python27")).isFalse();
        assertThat(ev("cpython and not pypy")).isTrue();
        assertThat(ev("bits64 != bits32")).isTrue();
    }

    @Test
    void versionInfoTuplesCompareElementWise() {
        assertThat(ev("sys.version_info >= (3, 8)")).isTrue();
        assertThat(ev("sys.version_info < (3, 10)")).isFalse();
        assertThat(ev("sys.version_info[0] == 3")).isTrue();
        assertThat(ev("sys.version_info[:2] == (3, 11)")).isTrue();
    }

    @Test
    void platformAndOs() {
        String machine = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        assertThat(ev("platform.machine() == '" + machine + "'")).isTrue();
        assertThat(ev("linux and platform.machine() == \"no-such-arch\"")).isFalse();
        assertThat(ev("os.name == 'posix'")).isTrue();
        assertThat(ev("sys.platform.startswith('linux')")).isTrue();
        assertThat(ev("platform.machine() in ('x86_64', 'aarch64', 'i686', 'armv7l', 'ppc64le', 's390x', 'riscv64')")).isTrue();
        assertThat(ev("'64' not in platform.machine() or bits64")).isTrue();
    }

    @Test
    void filesystemFunctions(@TempDir Path dir) throws Exception {
        Path model = Files.writeString(dir.resolve("model"), "Board OLinuXino rev C");
        assertThat(ev("os.path.isdir('" + dir + "') and os.access('" + model + "', os.R_OK) and 'OLinuXino' in open('" + model + "').read()")).isTrue();
        assertThat(ev("os.path.isdir('" + dir.resolve("none") + "') and open('/no/such/file').read()")).isFalse();
        assertThat(ev("os.path.exists('" + model + "')")).isTrue();
    }

    @Test
    void pep508MarkersCompareVersionsNumerically() {
        assertThat(ev("python_version < \"3.11\"")).isFalse();
        assertThat(ev("python_version >= '3.9'")).isTrue();   // as strings '3.11' < '3.9'
        assertThat(ev("platform_system == 'Linux' and sys_platform == 'linux'")).isTrue();
        assertThat(ev("(implementation_name == 'cpython')")).isTrue();
    }

    @Test
    void chainedComparisonsAndPrecedence() {
        assertThat(ev("1 < 2 < 3")).isTrue();
        assertThat(ev("1 < 3 < 2")).isFalse();
        assertThat(ev("not python2 and (python3 or python2)")).isTrue();
        assertThat(ev("True is not False")).isTrue();
    }

    @Test
    void unknownNamesAndUnsupportedSyntaxAreClearErrors() {
        assertThatThrownBy(() -> ev("frobnicate")).isInstanceOf(BuildoutException.class)
                .hasMessageStartingWith("p.cfg:7: ").hasMessageContaining("name 'frobnicate' is not defined");
        assertThatThrownBy(() -> ev("__import__('os').system('true')")).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("not defined");
        assertThatThrownBy(() -> ev("python3 +")).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("unsupported");
        assertThatThrownBy(() -> ev("(python3")).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("expected ')'");
        assertThatThrownBy(() -> ev("sys.version_info < 'x'")).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("cannot compare");
        assertThatThrownBy(() -> ev("1.5 > 1")).isInstanceOf(BuildoutException.class);
    }
}
