package org.slapgrid.recipes;

import java.util.List;

import org.slapgrid.buildout.spi.RecipeFactory;
import org.slapgrid.recipes.build.CmmiRecipe;
import org.slapgrid.recipes.build.CommandRecipe;
import org.slapgrid.recipes.build.DownloadRecipe;
import org.slapgrid.recipes.build.DownloadUnpackedRecipe;
import org.slapgrid.recipes.build.GitCloneRecipe;
import org.slapgrid.recipes.cookbook.CronEntryRecipe;
import org.slapgrid.recipes.cookbook.FreePortRecipe;
import org.slapgrid.recipes.cookbook.GeneratePasswordRecipe;
import org.slapgrid.recipes.cookbook.MkDirectoryRecipe;
import org.slapgrid.recipes.cookbook.PromiseRecipe;
import org.slapgrid.recipes.cookbook.SymbolicLinkRecipe;
import org.slapgrid.recipes.cookbook.WrapperRecipe;
import org.slapgrid.recipes.slap.PublishRecipe;
import org.slapgrid.recipes.slap.RequestRecipe;
import org.slapgrid.recipes.slap.SlapConfigurationRecipe;
import org.slapgrid.recipes.slap.SwitchSoftwareTypeRecipe;
import org.slapgrid.recipes.template.Jinja2Recipe;
import org.slapgrid.recipes.template.TemplateRecipe;

/**
 * The standard recipes' factories, in the order of this module's ServiceLoader file (which stays
 * the way other programs find them; {@code BuiltinRecipesTest} keeps the two the same). Given
 * to the engine up front ({@code Buildout.Builder.recipe}), they spare {@code slapos buildout}
 * the ServiceLoader scan, which opens and searches the whole 19,000-entry jar: a sixth of an
 * unchanged re-run's time.
 */
public final class BuiltinRecipes {

    private BuiltinRecipes() {
    }

    /** A new instance of each standard factory. */
    public static List<RecipeFactory> factories() {
        return List.of(
                new TemplateRecipe.Factory(),
                new Jinja2Recipe.Factory(),
                new WrapperRecipe.Factory(),
                new MkDirectoryRecipe.Factory(),
                new SymbolicLinkRecipe.Factory(),
                new FreePortRecipe.Factory(),
                new GeneratePasswordRecipe.Factory(),
                new PromiseRecipe.Factory(),
                new SlapConfigurationRecipe.Factory(),
                new PublishRecipe.Factory(),
                new RequestRecipe.Factory(),
                new DownloadRecipe.Factory(),
                new DownloadUnpackedRecipe.Factory(),
                new CmmiRecipe.Factory(),
                new CommandRecipe.Factory(),
                new GitCloneRecipe.Factory(),
                new SwitchSoftwareTypeRecipe.Factory(),
                new CronEntryRecipe.Factory());
    }
}
