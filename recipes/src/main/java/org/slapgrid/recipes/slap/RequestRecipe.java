package org.slapgrid.recipes.slap;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.recipes.support.Bools;
import org.slapgrid.recipes.support.Failures;
import org.slapgrid.recipes.support.Json;
import org.slapgrid.recipes.support.NamedFactory;
import org.slapgrid.recipes.support.OptionValues;

/**
 * {@code slapos.cookbook:request}, {@code request.serialised}, {@code requestoptional},
 * {@code requestoptional.serialised}: requests a child instance when the part is created, as
 * SlapOS does, so the child's connection values ({@code connection-<name>} for each name in
 * {@code return}) can be substituted by other sections. Options: {@code name} and
 * {@code software-url} (mandatory), {@code software-type} (default {@code default}),
 * {@code config-<k>} parameters, {@code sla-<k>} constraints (empty ones left out),
 * {@code shared}, {@code state} (default: {@code [slap-connection] requested-state} when it is
 * started or stopped, else started), {@code return}.
 *
 * <p>{@code request}: install and update fail while a returned value is missing, so the
 * partition is processed again until the child publishes. {@code requestoptional} never fails.
 */
public final class RequestRecipe implements Recipe {

    public static final class Factory extends NamedFactory {
        public Factory() {
            super("slapos.cookbook:request", "slapos.cookbook:request.serialised",
                    "slapos.cookbook:requestoptional", "slapos.cookbook:requestoptional.serialised");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return new RequestRecipe(buildout, name, options);
        }
    }

    private final String section;
    private final boolean optional;
    private RuntimeException failure;
    private final List<String> missing = new java.util.ArrayList<>();
    private String childState = "";

    RequestRecipe(BuildoutContext buildout, String recipeName, Options options) {
        this.section = options.sectionName();
        this.optional = recipeName.contains("requestoptional");
        boolean serialised = recipeName.endsWith(".serialised");
        for (String obsolete : List.of("config", "sla")) {
            if (options.has(obsolete)) {
                throw options.error(obsolete, "obsolete option: use '" + obsolete + "-<name>' options");
            }
        }
        String name = OptionValues.requiredText(options, "name");
        String softwareUrl = OptionValues.requiredText(options, "software-url");
        String softwareType = options.get("software-type", "default").strip();
        boolean shared = Bools.option(options, "shared", false);
        Map<String, Object> parameters = new TreeMap<>();
        Map<String, String> sla = new TreeMap<>();
        for (String key : options.keys()) {
            if (key.startsWith("config-") && key.length() > 7) {
                parameters.put(key.substring(7), options.get(key));
            } else if (key.startsWith("sla-") && key.length() > 4 && !options.get(key).isBlank()) {
                sla.put(key.substring(4), options.get(key).strip());
            }
        }
        if (serialised) {
            parameters = new TreeMap<>(Map.of("_", Json.write(parameters)));
        }
        String state = options.get("state", "").strip();
        if (state.isEmpty()) {
            String requested = buildout.hasSection(SlapInstances.CONNECTION_SECTION)
                    ? buildout.section(SlapInstances.CONNECTION_SECTION).get("requested-state", "") : "";
            state = requested.equals("started") || requested.equals("stopped") ? requested : "started";
        }
        if (!List.of("started", "stopped", "destroyed").contains(state)) {
            throw options.error("state", "expected started, stopped or destroyed, got '" + state + "'");
        }
        List<String> returns = OptionValues.words(options, "return");
        SlapInstance instance = SlapInstances.find(buildout, options);

        Map<String, String> connection = Map.of();
        try {
            ChildInstance child = instance.request(new ChildRequest(name, softwareUrl, softwareType, parameters, sla, state, shared));
            connection = serialised ? deserialise(child.connection()) : child.connection();
            childState = child.state();
            options.put("instance-guid", child.instanceGuid());
            options.put("instance_guid", child.instanceGuid());
            options.put("instance-state", child.state());
        } catch (SlapInstanceException e) {
            failure = Failures.of(section, null, "cannot request instance '" + name + "': " + e.getMessage(), e);
            options.put("instance-guid", "");
            options.put("instance_guid", "");
            options.put("instance-state", "");
        }
        options.put("requested-state", state);
        for (String key : returns) {
            String value = connection.get(key);
            if (value == null) {
                missing.add(key);
            }
            options.put("connection-" + key, value == null ? "" : value);
        }
    }

    private static Map<String, String> deserialise(Map<String, String> connection) {
        String text = connection.get("_");
        if (text == null) {
            return Map.of();
        }
        try {
            Object value = Json.parse(text);
            Map<String, String> result = new LinkedHashMap<>();
            if (value instanceof Map<?, ?> map) {
                map.forEach((k, v) -> result.put(String.valueOf(k), Json.asOptionText(v)));
            }
            return result;
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    @Override
    public Collection<Path> install() {
        check();
        return List.of();
    }

    @Override
    public Collection<Path> update() {
        check();
        return List.of();
    }

    private void check() {
        if (optional) {
            return;
        }
        if (failure != null) {
            throw failure;
        }
        if (!missing.isEmpty()) {
            throw Failures.of(section, "return", "connection parameter(s) " + String.join(", ", missing)
                    + " not published yet by the requested instance (state: " + childState + ")");
        }
    }
}
