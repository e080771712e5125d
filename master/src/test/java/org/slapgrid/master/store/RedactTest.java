package org.slapgrid.master.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.slapgrid.master.MasterConfig;

/** A database password never reaches a message: {@link Database#redact}, which MasterConfig and {@code slapos master} use. */
class RedactTest {

    @Test
    void thePasswordParameterIsHiddenWhateverItsCaseOrPlace() {
        assertThat(Database.redact("jdbc:postgresql://h/db?user=u&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/db?user=u&password=***&ssl=true");
        assertThat(Database.redact("jdbc:postgresql://h/db?PASSWORD=s3cret")).isEqualTo("jdbc:postgresql://h/db?PASSWORD=***");
        assertThat(Database.redact("jdbc:sqlite:/tmp/x.db")).isEqualTo("jdbc:sqlite:/tmp/x.db");
    }

    @Test
    void theConfigurationSaysItsDatabaseWithoutThePassword() {
        MasterConfig config = MasterConfig.defaults(Path.of("/tmp/none")).withDb("jdbc:postgresql://h/db?password=s3cret");
        assertThat(config.toString()).contains("password=***").doesNotContain("s3cret");
    }
}
