package org.slapgrid.recipes.cookbook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.recipes.support.Bools;
import org.slapgrid.recipes.support.Failures;
import org.slapgrid.recipes.support.Json;
import org.slapgrid.recipes.support.NamedFactory;
import org.slapgrid.recipes.support.OptionValues;

/**
 * {@code slapos.cookbook:generate.password}: a password of {@code bytes} characters
 * ([A-Za-z0-9], default 16) from {@link SecureRandom}, generated once, stored in
 * {@code storage-path} (default {@code ${buildout:parts-directory}/<section>}, mode 0600, JSON
 * {@code {"": password}}; a plain-text file as older SlapOS wrote is read too) and read back on
 * every later run. It is exposed as the volatile option {@code passwd}: never in
 * {@code .installed.cfg}, never in the part's signature, never logged. With {@code create-once}
 * (default true) the file is not returned, so uninstalling the part keeps the password.
 */
public final class GeneratePasswordRecipe implements Recipe {

    public static final class Factory extends NamedFactory {
        public Factory() {
            super("slapos.cookbook:generate.password");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return new GeneratePasswordRecipe(buildout, options);
        }
    }

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String section;
    private final Path storage;
    private final boolean createOnce;
    private final String password;

    GeneratePasswordRecipe(BuildoutContext buildout, Options options) {
        this.section = options.sectionName();
        int length = OptionValues.integer(options, "bytes", 16, 1, 4096);
        this.createOnce = Bools.option(options, "create-once", true);
        String storageOption = options.get("storage-path", buildout.partsDirectory().resolve(section).toString()).strip();
        this.storage = storageOption.isEmpty() ? null : OptionValues.path(buildout, storageOption);
        String forced = options.get("passwd", "");
        String existing = storage == null ? null : read(options, storage);
        if (!forced.isEmpty()) {
            this.password = forced;
        } else if (existing != null) {
            this.password = existing;
        } else {
            StringBuilder p = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                p.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            this.password = p.toString();
        }
        options.putVolatile("passwd", password);
    }

    @Override
    public Collection<Path> install() throws Exception {
        store();
        return createOnce || storage == null ? List.of() : List.of(storage);
    }

    /** Writes the file only if it is missing or holds another value; then nothing changes. */
    @Override
    public Collection<Path> update() throws Exception {
        store();
        return List.of();
    }

    private void store() throws IOException {
        if (storage == null) {
            return;
        }
        Map<String, String> doc = new TreeMap<>();
        doc.put("", password);
        AtomicFiles.writeIfChanged(storage, Json.write(doc), 0600);
    }

    private String read(Options options, Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            String text = Files.readString(file);
            if (text.startsWith("{")) {
                Object doc = Json.parse(text);
                if (doc instanceof Map<?, ?> map && map.get("") instanceof String s && !s.isEmpty()) {
                    return s;
                }
                // Never echo the file's content: it holds a secret.
                throw Failures.of(section, "storage-path", file + " is not a password file written by this recipe");
            }
            String plain = text.strip();
            return plain.isEmpty() ? null : plain;
        } catch (IOException e) {
            throw Failures.of(section, "storage-path", "cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }
}
