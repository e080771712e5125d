package org.slapgrid.buildout.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.buildout.spi.RecipeFactory;

/** The registry asks its fallback (the ServiceLoader scan) only for a name it lacks, once, and its own names win. */
class RecipeRegistryTest {

    record Named(String name) implements RecipeFactory {
        @Override
        public Set<String> names() {
            return Set.of(name);
        }

        @Override
        public Recipe create(BuildoutContext buildout, String n, Options options) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void theFallbackIsScannedOnlyAtTheFirstMiss() {
        AtomicInteger scans = new AtomicInteger();
        Named own = new Named("a");
        Named found = new Named("b");
        RecipeRegistry r = new RecipeRegistry().register(own).orElse(() -> {
            scans.incrementAndGet();
            return new RecipeRegistry().register(new Named("a")).register(found);
        });

        assertThat(r.find("a")).containsSame(own);
        assertThat(r.find("a:default")).containsSame(own);
        assertThat(scans).hasValue(0);

        assertThat(r.find("b")).containsSame(found);
        assertThat(r.find("a")).as("its own names keep precedence").containsSame(own);
        assertThat(r.find("c")).isEmpty();
        assertThat(scans).hasValue(1);
    }
}
