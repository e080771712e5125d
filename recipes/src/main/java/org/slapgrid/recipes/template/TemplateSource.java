package org.slapgrid.recipes.template;

import java.util.Optional;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.recipes.support.Checksum;
import org.slapgrid.recipes.support.Downloader;

/**
 * Where a template comes from: {@code url} ({@code input} for collective.recipe.template; path, file:// or http(s), checked against
 * {@code md5sum}) or {@code inline}; the deprecated {@code template} option is accepted too,
 * {@code inline:} prefix included.
 *
 * @param text    the template text
 * @param name    where it came from, for error messages
 * @param fromUrl true when read from a URL (buildout has not substituted it yet)
 */
record TemplateSource(String text, String name, boolean fromUrl) {

    static TemplateSource read(BuildoutContext buildout, Options options) {
        // collective.recipe.template calls it 'input'.
        Optional<String> url = options.find("url").or(() -> options.find("input"));
        Optional<String> inline = options.find("inline");
        Optional<String> template = options.find("template");
        int given = (url.isPresent() ? 1 : 0) + (inline.isPresent() ? 1 : 0) + (template.isPresent() ? 1 : 0);
        if (given > 1) {
            throw options.error(url.isPresent() ? "url" : "inline", "give only one of 'url', 'inline' and 'template'");
        }
        if (inline.isPresent()) {
            return new TemplateSource(stripFirstNewline(inline.get()), "[" + options.sectionName() + "] inline", false);
        }
        String option = options.has("url") ? "url" : options.has("input") ? "input" : "template";
        String location = url.or(() -> template).orElseThrow(() ->
                options.error(null, "missing mandatory option 'url' (or 'inline')")).strip();
        if (location.startsWith("inline:")) {
            return new TemplateSource(stripFirstNewline(location.substring("inline:".length())),
                    "[" + options.sectionName() + "] template", false);
        }
        if (location.isEmpty()) {
            throw options.error(option, "must not be empty");
        }
        String text = new Downloader(buildout, options.sectionName(), option).readText(location, Checksum.fromOptions(options));
        return new TemplateSource(text, location, true);
    }

    /** An inline value starts on the line after {@code inline =}; buildout keeps that first newline out. */
    private static String stripFirstNewline(String text) {
        return text.startsWith("\n") ? text.substring(1) : text;
    }
}
