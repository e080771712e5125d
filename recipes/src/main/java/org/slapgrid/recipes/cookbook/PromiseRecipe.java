package org.slapgrid.recipes.cookbook;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.recipes.slap.ServiceTags;
import org.slapgrid.recipes.support.Bools;
import org.slapgrid.recipes.support.NamedFactory;
import org.slapgrid.recipes.support.OptionValues;

/**
 * The promise recipes: each writes an executable check (mode 0700, only if it changed; a POSIX
 * sh script from {@link PromiseScripts}) and, on install, its {@code tags} file
 * ({@link ServiceTags}). They differ only in the options that make the script:
 * <ul>
 * <li>{@code slapos.cookbook:check_port_listening}: writes {@code path}, a check that
 * {@code hostname}:{@code port} accepts TCP connections within {@code timeout} seconds
 * (default 20);</li>
 * <li>{@code slapos.cookbook:promise.plugin}: writes {@code output} (usually in
 * {@code etc/promise/}), the check chosen by {@code module} (SlapOS's
 * {@code slapos.promise.plugin.<name>}, last component used) or {@code promise}:
 * {@code check_socket_listening} ({@code config-host}, {@code config-port}),
 * {@code check_url_available} ({@code config-url}, {@code config-http-code} (200),
 * {@code config-verify} (0: TLS not verified)), {@code check_command_execute}
 * ({@code config-command}); each honours {@code config-timeout} (seconds, default 20). SlapOS's
 * Python plugins ({@code eggs}, {@code file}) are not supported: slapgrid runs no Python.</li>
 * </ul>
 */
public final class PromiseRecipe implements Recipe {

    private static final String CHECK_PORT_LISTENING = "slapos.cookbook:check_port_listening";
    private static final String PROMISE_PLUGIN = "slapos.cookbook:promise.plugin";

    public static final class Factory extends NamedFactory {
        public Factory() {
            super(CHECK_PORT_LISTENING, PROMISE_PLUGIN);
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return name.equals(CHECK_PORT_LISTENING)
                    ? new PromiseRecipe(OptionValues.requiredPath(buildout, options, "path"), ServiceTags.option(options),
                            portListening(options))
                    : new PromiseRecipe(OptionValues.requiredPath(buildout, options, "output"), ServiceTags.option(options),
                            plugin(options));
        }
    }

    private final Path promise;
    private final List<String> tags;
    private final String script;

    private PromiseRecipe(Path promise, List<String> tags, String script) {
        this.promise = promise;
        this.tags = tags;
        this.script = script;
    }

    private static String portListening(Options options) {
        int timeout = OptionValues.integer(options, "timeout", 20, 1, 3600);
        return PromiseScripts.portListening(options, "hostname", "port", timeout);
    }

    private static String plugin(Options options) {
        String option = options.has("promise") ? "promise" : "module";
        String module = options.get(option, "").strip();
        if (module.isEmpty()) {
            throw options.error("module", "missing mandatory option 'module' (or 'promise'): "
                    + "check_socket_listening, check_url_available or check_command_execute");
        }
        String kind = module.substring(module.lastIndexOf('.') + 1);
        int timeout = OptionValues.integer(options, "config-timeout", 20, 1, 3600);
        return switch (kind) {
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

    /** The promise and its tags file: the paths the part installed. */
    @Override
    public Collection<Path> install() throws Exception {
        AtomicFiles.writeIfChanged(promise, script, 0700);
        List<Path> installed = new ArrayList<>(List.of(promise));
        installed.addAll(ServiceTags.write(promise, tags));
        return installed;
    }

    @Override
    public Collection<Path> update() throws Exception {
        AtomicFiles.writeIfChanged(promise, script, 0700);
        return List.of();
    }
}
