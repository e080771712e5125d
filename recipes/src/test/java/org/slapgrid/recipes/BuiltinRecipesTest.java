package org.slapgrid.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.slapgrid.buildout.spi.RecipeFactory;

/** {@link BuiltinRecipes} and the ServiceLoader file list the same factories, in the same order. */
class BuiltinRecipesTest {

    @Test
    void listsTheFactoriesOfTheServiceFile() throws Exception {
        List<String> file;
        try (InputStream in = BuiltinRecipes.class.getResourceAsStream("/META-INF/services/" + RecipeFactory.class.getName())) {
            file = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
        assertThat(BuiltinRecipes.factories().stream().map(f -> f.getClass().getName()).toList()).isEqualTo(file);
    }
}
