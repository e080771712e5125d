package org.slapgrid.recipes.slap;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.recipes.support.Failures;
import org.slapgrid.recipes.support.NamedFactory;
import org.slapgrid.recipes.support.OptionValues;

/**
 * {@code slapos.cookbook:publish} and {@code publish.serialised}: publishes the section's
 * options as the instance's connection parameters. Published keys: {@code -publish} if given,
 * else every option but {@code recipe}, those starting with {@code -} and the engine's own
 * ({@code _...}); sections listed in {@code -extends} are published too (recursively).
 * {@code -slave-reference} publishes for a shared instance. {@code .serialised} sends
 * {@code {"_": "<json of the parameters>"}}.
 *
 * <p>Values are read when the part is created (so referenced sections come first) and sent on
 * install; update sends again only with {@code -extends}, whose sections' changes the part's
 * own options do not show.
 */
public final class PublishRecipe implements Recipe {

    public static final class Factory extends NamedFactory {
        public Factory() {
            super("slapos.cookbook:publish", "slapos.cookbook:publish.serialised");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return new PublishRecipe(buildout, name, options);
        }
    }

    private final BuildoutContext buildout;
    private final Options options;
    private final boolean serialised;
    private final Map<String, String> values;
    private final boolean extended;

    PublishRecipe(BuildoutContext buildout, String recipeName, Options options) {
        this.buildout = buildout;
        this.options = options;
        this.serialised = recipeName.endsWith(".serialised");
        this.values = collect(buildout, options);
        this.extended = !OptionValues.words(options, "-extends").isEmpty();
    }

    private static Map<String, String> collect(BuildoutContext buildout, Options options) {
        Map<String, String> values = new TreeMap<>();
        Set<String> seen = new LinkedHashSet<>();
        Deque<Options> todo = new ArrayDeque<>(List.of(options));
        while (!todo.isEmpty()) {
            Options section = todo.removeFirst();
            if (!seen.add(section.sectionName())) {
                continue;
            }
            List<String> keys = section.has("-publish")
                    ? OptionValues.words(section, "-publish")
                    : section.keys().stream().filter(PublishRecipe::publishable).sorted().toList();
            for (String key : keys) {
                values.put(key, section.find(key).orElseThrow(() ->
                        section.error("-publish", "names '" + key + "', which is not an option of the section")));
            }
            for (String name : OptionValues.words(section, "-extends")) {
                if (!buildout.hasSection(name)) {
                    throw section.error("-extends", "no section [" + name + "]");
                }
                todo.addLast(buildout.section(name));
            }
        }
        return values;
    }

    private static boolean publishable(String key) {
        return !key.equals("recipe") && !key.startsWith("-") && !key.startsWith("_");
    }

    @Override
    public Collection<Path> install() {
        send();
        return List.of();
    }

    @Override
    public Collection<Path> update() {
        if (extended) {
            send();
        }
        return List.of();
    }

    private void send() {
        SlapInstance instance = SlapInstances.find(buildout, options);
        Map<String, String> connection = serialised
                ? Map.of("_", org.slapgrid.recipes.support.Json.write(values))
                : values;
        String reference = options.get("-slave-reference", "").strip();
        try {
            if (reference.isEmpty()) {
                instance.publish(connection);
            } else {
                instance.publishShared(reference, connection);
            }
        } catch (SlapInstanceException e) {
            throw Failures.of(options.sectionName(), null, "cannot publish: " + e.getMessage(), e);
        }
        // Key names only: published values may be secrets.
        buildout.log(options.sectionName(), "Published " + String.join(", ", values.keySet()));
    }
}
