package org.slapgrid.node.releases;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The parameter schemas the releases ship, checked with the validator the
 * {@code slapconfiguration.jsonschema} recipe uses: what a requester may send (numbers as JSON
 * numbers or as strings, as {@code slapos request --param} sends them) and what is refused.
 */
class ReleaseSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}: {1}={2} accepted={3}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            mariadb | port          | 3306         | true
            mariadb | port          | "3306"       | true
            mariadb | port          | "65535"      | true
            mariadb | port          | 80           | false
            mariadb | port          | "80"         | false
            mariadb | port          | "65536"      | false
            mariadb | port          | "3306; x"    | false
            mariadb | memory        | 64           | true
            mariadb | memory        | "1024"       | true
            mariadb | memory        | "8"          | false
            mariadb | character-set | "latin1"     | true
            mariadb | character-set | "klingon"    | false
            mariadb | database      | "shop_2"     | true
            mariadb | database      | "a`; DROP x" | false
            mariadb | user          | "shopkeeper" | true
            mariadb | user          | "o'brien"    | false
            jetty   | port          | 8080         | true
            jetty   | port          | "8088"       | true
            jetty   | port          | "443"        | false
            jetty   | max-heap      | "256"        | true
            jetty   | max-heap      | 16           | false
            jetty   | greeting      | "hello"      | true
            """)
    void schemaAcceptsOnlySafeParameters(String release, String parameter, String jsonValue, boolean accepted) throws Exception {
        Path file = ReleaseTrees.checkout().resolve("instance-profiles").resolve(release).resolve("instance-input-schema.json");
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(JSON.readTree(file.toFile()));
        JsonNode parameters = JSON.valueToTree(Map.of(parameter, JSON.readTree(jsonValue)));
        Set<ValidationMessage> errors = schema.validate(parameters);
        if (accepted) {
            assertThat(errors).isEmpty();
        } else {
            assertThat(errors).isNotEmpty().allSatisfy(e -> assertThat(e.getMessage()).contains(parameter));
        }
    }
}
