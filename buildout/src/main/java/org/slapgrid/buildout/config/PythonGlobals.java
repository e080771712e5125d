package org.slapgrid.buildout.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.slapgrid.buildout.config.ConditionEvaluator.EvalError;
import org.slapgrid.buildout.python.Py;
import org.slapgrid.buildout.python.PyObject;
import org.slapgrid.buildout.python.PyStr;
import org.slapgrid.buildout.python.PyTuple;

/**
 * The names a section condition can use: buildout's {@code _default_globals()} ({@code python3},
 * {@code sys}, {@code os}, {@code platform}, {@code open}...) and the PEP 508 marker variables,
 * answering as the CPython 3.11 that SlapOS runs would, on this machine.
 */
final class PythonGlobals {

    private PythonGlobals() {
    }

    /** A string from a PEP 508 marker variable: compared as a version when both sides are versions. */
    record MarkerString(String text) implements PyStr {
        @Override
        public String toString() {
            return text;
        }
    }

    /** A Python function of the subset ({@code os.path.isdir}, {@code platform.machine}...). */
    @FunctionalInterface
    interface PyFunction extends Function<List<Object>, Object>, PyObject {
        @Override
        default String typeName() {
            return "function";
        }
    }

    /** The Python that the conditions are evaluated for. */
    static final int PY_MAJOR = 3;
    static final int PY_MINOR = 11;
    static final int PY_MICRO = 2;

    static Map<String, Object> standard() {
        return defaultGlobals(machine(), System.getProperty("os.name", "Linux"));
    }

    static String machine() {
        String arch = System.getProperty("os.arch", "");
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "x86", "i386", "i686" -> "i686";
            case "arm" -> "armv7l";
            default -> arch;
        };
    }

    private static Map<String, Object> defaultGlobals(String machine, String osName) {
        boolean linux = osName.toLowerCase().contains("linux");
        boolean windows = osName.toLowerCase().contains("windows");
        boolean mac = osName.toLowerCase().contains("mac");
        Map<String, Object> g = new HashMap<>();
        g.put("True", Boolean.TRUE);
        g.put("False", Boolean.FALSE);
        g.put("None", null);
        g.put("python2", false);
        g.put("python3", true);
        for (int minor = 4; minor <= 9; minor++) {
            g.put("python2" + minor, false);
            g.put("python3" + minor, PY_MINOR == minor);
        }
        for (int minor = 10; minor <= 15; minor++) {
            g.put("python3" + minor, PY_MINOR == minor);
        }
        g.put("cpython", true);
        g.put("pypy", false);
        g.put("jython", false);
        g.put("ironpython", false);
        g.put("linux", linux);
        g.put("windows", windows);
        g.put("cygwin", false);
        g.put("solaris", osName.toLowerCase().contains("sunos"));
        g.put("macosx", mac);
        g.put("posix", !windows);
        boolean bits64 = !"32".equals(System.getProperty("sun.arch.data.model"));
        g.put("bits32", !bits64);
        g.put("bits64", bits64);
        g.put("little_endian", java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN);
        g.put("big_endian", java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.BIG_ENDIAN);
        String platform = linux ? "linux" : windows ? "win32" : mac ? "darwin" : osName.toLowerCase();
        String system = linux ? "Linux" : windows ? "Windows" : mac ? "Darwin" : osName;
        String fullVersion = PY_MAJOR + "." + PY_MINOR + "." + PY_MICRO;

        Map<String, Object> sys = new HashMap<>();
        sys.put("version_info", new PyTuple((long) PY_MAJOR, (long) PY_MINOR, (long) PY_MICRO, "final", 0L));
        sys.put("platform", platform);
        sys.put("byteorder", g.get("little_endian").equals(true) ? "little" : "big");
        sys.put("maxsize", bits64 ? Long.MAX_VALUE : (long) Integer.MAX_VALUE);
        sys.put("version", fullVersion);
        g.put("sys", sys);

        Map<String, Object> path = new HashMap<>();
        path.put("isdir", (PyFunction) a -> Files.isDirectory(Path.of(str(a, 0))));
        path.put("isfile", (PyFunction) a -> Files.isRegularFile(Path.of(str(a, 0))));
        path.put("exists", (PyFunction) a -> Files.exists(Path.of(str(a, 0))));
        path.put("islink", (PyFunction) a -> Files.isSymbolicLink(Path.of(str(a, 0))));
        path.put("join", (PyFunction) a -> {
            Path p = Path.of(str(a, 0));
            for (int i = 1; i < a.size(); i++) {
                p = p.resolve(str(a, i));
            }
            return p.toString();
        });
        Map<String, Object> os = new HashMap<>();
        os.put("name", windows ? "nt" : "posix");
        os.put("sep", windows ? "\\" : "/");
        os.put("path", path);
        os.put("F_OK", 0L);
        os.put("X_OK", 1L);
        os.put("W_OK", 2L);
        os.put("R_OK", 4L);
        os.put("access", (PyFunction) a -> {
            Path p = Path.of(str(a, 0));
            long mode = a.size() > 1 && a.get(1) instanceof Long l ? l : 0L;
            if (!Files.exists(p)) {
                return false;
            }
            return ((mode & 4) == 0 || Files.isReadable(p)) && ((mode & 2) == 0 || Files.isWritable(p))
                    && ((mode & 1) == 0 || Files.isExecutable(p));
        });
        g.put("os", os);

        Map<String, Object> plat = new HashMap<>();
        plat.put("machine", (PyFunction) a -> machine);
        plat.put("system", (PyFunction) a -> system);
        plat.put("python_version", (PyFunction) a -> fullVersion);
        plat.put("python_implementation", (PyFunction) a -> "CPython");
        g.put("platform", plat);

        g.put("open", (PyFunction) a -> {
            Path p = Path.of(str(a, 0));
            Map<String, Object> file = new HashMap<>();
            file.put("read", (PyFunction) b -> {
                try {
                    return Files.readString(p, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new EvalError("cannot read " + p + ": " + e.getMessage());
                }
            });
            return file;
        });

        // PEP 508 marker variables.
        g.put("python_version", new MarkerString(PY_MAJOR + "." + PY_MINOR));
        g.put("python_full_version", new MarkerString(fullVersion));
        g.put("implementation_version", new MarkerString(fullVersion));
        g.put("implementation_name", new MarkerString("cpython"));
        g.put("platform_python_implementation", new MarkerString("CPython"));
        g.put("platform_machine", new MarkerString(machine));
        g.put("platform_system", new MarkerString(system));
        g.put("sys_platform", new MarkerString(platform));
        g.put("os_name", new MarkerString(windows ? "nt" : "posix"));
        g.put("platform_release", new MarkerString(System.getProperty("os.version", "")));
        return Collections.unmodifiableMap(g);   // not Map.copyOf: None is null
    }

    static String str(List<Object> args, int i) {
        if (args.size() <= i) {
            throw new EvalError("missing argument");
        }
        Object o = args.get(i);
        if (Py.isStr(o)) {
            return Py.str(o);
        }
        throw new EvalError("expected a string, got " + Py.repr(o));
    }
}
