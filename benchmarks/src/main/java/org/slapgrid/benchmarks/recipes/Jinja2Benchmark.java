package org.slapgrid.benchmarks.recipes;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slapgrid.recipes.template.jinja.Jinja2;

/**
 * The jinja2 recipe's renderer against design.md §8 (a 500-line template under 20 ms warm),
 * compared with python3-jinja2 rendering the same template with the same context in
 * slapos.recipe.template's environment. A plain main (not JMH) because half of it is Python.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.slapgrid.benchmarks.recipes.Jinja2Benchmark [iterations]</pre>
 */
public final class Jinja2Benchmark {

    private Jinja2Benchmark() {
    }

    /** A SlapOS-shaped instance profile of about 500 lines: loops, conditions, macros, filters, methods. */
    static String template() {
        StringBuilder t = new StringBuilder();
        t.append("{% set part_list = [] %}\n");
        t.append("{% macro section(name, port) -%}\n[{{ name }}]\nrecipe = slapos.cookbook:wrapper\n"
                + "command-line = {{ bin }}/{{ name }} --port {{ port }} --host {{ ipv6 | first }}\n"
                + "wrapper-path = ${directory:service}/{{ name }}\n{%- do part_list.append(name) %}\n{%- endmacro %}\n");
        t.append("[buildout]\nextends = {{ template_monitor }}\n\n");
        for (int i = 0; i < 64; i++) {
            t.append("{{ section('service-").append(i).append("', slapparameter_dict.get('port-").append(i)
                    .append("', 8000 + ").append(i).append(") | int) }}\n");
            t.append("{% if slapparameter_dict.get('enable-").append(i).append("', 'true').lower() in ('true', 'yes') %}\n");
            t.append("[promise-").append(i).append("]\n<= monitor-promise-base\npromise = check_socket_listening\n");
            t.append("config-host = {{ (ipv4 | list)[0] }}\nconfig-port = {{ 8000 + ").append(i).append(" }}\n{% endif %}\n");
        }
        t.append("[directory]\nrecipe = slapos.cookbook:mkdirectory\n");
        t.append("{% for d in 'etc var srv log tmp run service promise'.split() -%}\n{{ d }} = ${buildout:directory}/{{ d }}\n{% endfor %}\n");
        t.append("[publish]\nrecipe = slapos.cookbook:publish\n");
        t.append("{% for key, value in slapparameter_dict.items() | sort -%}\n{{ key }} = {{ value }}\n{% endfor %}\n");
        t.append("{% for user in users if user.enabled -%}\n[user-{{ user.name }}]\nname = {{ user.name | upper }}\n"
                + "groups = {{ user.groups | join(',') }}\nhome = {{ '%s/%s' % (home, user.name) }}\n{% endfor %}\n");
        t.append("[parts]\nlist = {{ part_list | join(' ') }}\n");
        return t.toString();
    }

    static Map<String, Object> context() {
        Map<String, Object> params = new LinkedHashMap<>();
        for (int i = 0; i < 64; i += 3) {
            params.put("port-" + i, String.valueOf(9000 + i));
            params.put("enable-" + i, i % 2 == 0 ? "yes" : "false");
        }
        List<Object> users = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            users.add(Map.of("name", "user" + i, "enabled", i % 3 != 0, "groups", List.of("g" + i, "staff")));
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("slapparameter_dict", params);
        c.put("users", users);
        c.put("ipv4", List.of("10.0.0.1"));
        c.put("ipv6", List.of("fd00::1"));
        c.put("bin", "/opt/slapgrid/abc/bin");
        c.put("home", "/srv/slapgrid/slappart0");
        c.put("template_monitor", "/opt/slapgrid/abc/monitor.cfg");
        return c;
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        String template = template();
        Map<String, Object> context = context();
        Jinja2 env = Jinja2.slapos();
        long cold = System.nanoTime();
        String out = env.render("bench.cfg.in", template, context, name -> null);
        System.out.printf("template: %d lines, output: %d lines; first render (parse included, cold JVM): %.1f ms%n",
                template.split("\n").length, out.split("\n").length, (System.nanoTime() - cold) / 1e6);
        for (int i = 0; i < 2000; i++) {
            env.render("bench.cfg.in", template, context, name -> null);
        }
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            env.render("bench.cfg.in", template, context, name -> null);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("slapgrid Jinja2 (warm, %d renders): median %.3f ms, p90 %.3f ms, max %.3f ms%n",
                iterations, ms[iterations / 2], ms[iterations * 9 / 10], ms[iterations - 1]);
        python(template, context, iterations, out);
    }

    private static void python(String template, Map<String, Object> context, int iterations, String expected)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("jinja2-bench");
        Path t = Files.writeString(dir.resolve("bench.cfg.in"), template);
        Path c = dir.resolve("context.json");
        new ObjectMapper().writeValue(c.toFile(), context);
        Path out = dir.resolve("out.txt");
        String script = String.join("\n",
                "import builtins, json, sys, time, jinja2",
                "env = jinja2.Environment(extensions=['jinja2.ext.do', 'jinja2.ext.loopcontrols'], undefined=jinja2.StrictUndefined)",
                "tpl = env.from_string(open(sys.argv[1]).read())",
                "ctx = {n: getattr(builtins, n) for n in ('len', 'sorted', 'int', 'str', 'list', 'dict', 'range')}",
                "ctx.update(json.load(open(sys.argv[2])))",
                "open(sys.argv[3], 'w').write(tpl.render(**ctx))",
                "for i in range(200): tpl.render(**ctx)",
                "ms = []",
                "for i in range(int(sys.argv[4])):",
                "    t0 = time.perf_counter(); tpl.render(**ctx); ms.append((time.perf_counter() - t0) * 1000)",
                "ms.sort()",
                "print('python3-jinja2 %s (warm, compiled, %d renders): median %.3f ms, p90 %.3f ms, max %.3f ms'"
                        + " % (jinja2.__version__, len(ms), ms[len(ms) // 2], ms[len(ms) * 9 // 10], ms[-1]))");
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Process p = new ProcessBuilder(python, "-c", script, t.toString(), c.toString(), out.toString(), String.valueOf(iterations))
                .redirectErrorStream(true).start();
        System.out.print(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        p.waitFor();
        if (Files.exists(out)) {
            System.out.println("same output as python3-jinja2: " + Files.readString(out).equals(expected));
        }
    }
}
