package org.slapgrid.recipes.template;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.recipes.support.NamedFactory;

/**
 * {@code slapos.recipe.template}: renders a {@code ${section:option}} template. The text is
 * substituted when the part is created (so referenced sections become dependencies, as in
 * SlapOS) and written on install and update only if it differs. With {@code md5sum}, update
 * leaves the output alone (a hand-edited output stays).
 */
public final class TemplateRecipe implements Recipe {

    public static final class Factory extends NamedFactory {
        public Factory() {
            super("slapos.recipe.template", "slapos.recipe.template:default", "collective.recipe.template");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return new TemplateRecipe(buildout, options);
        }
    }

    private final OutputFile output;
    private final String rendered;
    private final boolean pinned;

    TemplateRecipe(BuildoutContext buildout, Options options) {
        TemplateSource source = TemplateSource.read(buildout, options);
        this.output = OutputFile.fromOptions(buildout, options);
        this.rendered = source.fromUrl()
                ? BuildoutSubstitution.apply(buildout, options.sectionName(), source.name(), source.text())
                : source.text();
        this.pinned = options.has("md5sum");
    }

    @Override
    public Collection<Path> install() throws Exception {
        output.write(rendered);
        return output.paths();
    }

    @Override
    public Collection<Path> update() throws Exception {
        if (!pinned) {
            output.write(rendered);
        }
        return List.of();
    }
}
