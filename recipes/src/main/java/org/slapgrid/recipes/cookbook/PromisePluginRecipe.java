package org.slapgrid.recipes.cookbook;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.recipes.slap.ServiceTags;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.recipes.support.Bools;
import org.slapgrid.recipes.support.NamedFactory;
import org.slapgrid.recipes.support.OptionValues;

/**
 * {@code slapos.cookbook:promise.plugin}: writes {@code output} (mode 0700, usually in
 * {@code etc/promise/}), an executable check chosen by {@code module} (SlapOS's
 * {@code slapos.promise.plugin.<name>}, last component used) or {@code promise}:
 * <ul>
 * <li>{@code check_socket_listening}: {@code config-host}, {@code config-port};</li>
 * <li>{@code check_url_available}: {@code config-url}, {@code config-http-code} (200),
 * {@code config-verify} (0: TLS not verified);</li>
 * <li>{@code check_command_execute}: {@code config-command}.</li>
 * </ul>
 * Each honours {@code config-timeout} (seconds, default 20). SlapOS's Python plugins
 * ({@code eggs}, {@code file}) are not supported: slapgrid runs no Python.
 */
public final class PromisePluginRecipe implements Recipe {

    public static final class Factory extends NamedFactory {
        public Factory() {
            super("slapos.cookbook:promise.plugin");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return new PromisePluginRecipe(buildout, options);
        }
    }

    private final Path output;
    private final String script;
    private final List<String> tags;

    PromisePluginRecipe(BuildoutContext buildout, Options options) {
        this.output = OptionValues.requiredPath(buildout, options, "output");
        this.tags = ServiceTags.option(options);
        String option = options.has("promise") ? "promise" : "module";
        String module = options.get(option, "").strip();
        if (module.isEmpty()) {
            throw options.error("module", "missing mandatory option 'module' (or 'promise'): "
                    + "check_socket_listening, check_url_available or check_command_execute");
        }
        String kind = module.substring(module.lastIndexOf('.') + 1);
        int timeout = OptionValues.integer(options, "config-timeout", 20, 1, 3600);
        this.script = switch (kind) {
            case "check_socket_listening", "check_port_listening" ->
                    PromiseScripts.portListening(options, "config-host", "config-port", timeout);
            case "check_url_available" -> {
                String url = options.required("config-url").strip();
                if (!url.matches("https?://\\S+")) {
                    throw options.error("config-url", "expected an http(s) URL, got '" + url + "'");
                }
                yield PromiseScripts.urlAvailable(url, OptionValues.integer(options, "config-http-code", 200, 100, 599),
                        Bools.option(options, "config-verify", false), timeout);
            }
            case "check_command_execute" -> {
                yield PromiseScripts.commandSucceeds(OptionValues.requiredText(options, "config-command"), timeout);
            }
            default -> throw options.error(option, "unknown promise '" + kind
                    + "' (supported: check_socket_listening, check_url_available, check_command_execute)");
        };
    }

    @Override
    public Collection<Path> install() throws Exception {
        return PromiseScripts.install(output, script, tags);
    }

    @Override
    public Collection<Path> update() throws Exception {
        AtomicFiles.writeIfChanged(output, script, 0700);
        return List.of();
    }
}
