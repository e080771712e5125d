package org.slapgrid.buildout.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming reader and writer agree with jackson-databind (what wrote and read these files
 * before), byte for byte and type for type: the node hashes the instance files it writes, so a
 * different byte would make every partition converge again after an upgrade.
 */
class PlainJsonTest {

    private static final ObjectMapper DATABIND = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final ObjectMapper DATABIND_PRETTY = DATABIND.copy().enable(SerializationFeature.INDENT_OUTPUT);

    @TempDir
    Path dir;

    @Provide
    Arbitrary<Object> values() {
        return value(3);
    }

    private Arbitrary<Object> value(int depth) {
        Arbitrary<Object> leaf = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').withChars("é€\u2028😀\"\\/").ofMaxLength(8).map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30)).map(b -> (Object) b),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b)).injectNull(0.05);
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Object> list = value(depth - 1).list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l));
        Arbitrary<Object> map = Arbitraries.maps(Arbitraries.strings().alpha().numeric().withChars("-_ é").ofMaxLength(6), value(depth - 1))
                .ofMaxSize(4).map(m -> (Object) new LinkedHashMap<>(m));
        return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(1, list), Tuple.of(1, map));
    }

    @Property(tries = 400)
    void writesWhatDatabindWrites(@ForAll("values") Object value) throws Exception {
        assertThat(PlainJson.write(value)).isEqualTo(DATABIND.writeValueAsString(value));
        assertThat(PlainJson.writePretty(value)).isEqualTo(DATABIND_PRETTY.writeValueAsString(value) + "\n");
    }

    @Property(tries = 400)
    void readsWhatDatabindReads(@ForAll("values") Object value) throws Exception {
        for (String text : List.of(DATABIND.writeValueAsString(value), DATABIND_PRETTY.writeValueAsString(value))) {
            Object ours = PlainJson.parse(text);
            Object theirs = DATABIND.readValue(text, Object.class);
            assertThat(ours).isEqualTo(theirs);
            assertThat(types(ours)).isEqualTo(types(theirs));
        }
    }

    @Test
    void aFileAndItsTypes() throws Exception {
        Path file = dir.resolve("instance.json");
        Files.writeString(file, "{\"b\": [1, 3000000000, 100000000000000000000, 1.5, -2e3, true, null], \"a\": {\"x\": \"\\u00e9\\n\"}}");
        Object read = PlainJson.read(file);
        assertThat(read).isEqualTo(DATABIND.readValue(file.toFile(), Object.class));
        assertThat(types(read)).isEqualTo("{b=[Integer, Long, BigInteger, Double, Double, Boolean, null], a={x=String}}");
        assertThat(new ArrayList<Object>(((Map<?, ?>) read).keySet())).as("objects keep their order when read").containsExactly("b", "a");
        assertThat(PlainJson.writePretty(read)).isEqualTo("""
                {
                  "a" : {
                    "x" : "é\\n"
                  },
                  "b" : [ 1, 3000000000, 100000000000000000000, 1.5, -2000.0, true, null ]
                }
                """);
    }

    @Test
    void badTextIsAnErrorNamingWhereAndWhat() {
        assertThatThrownBy(() -> PlainJson.parse("")).isInstanceOf(JsonProcessingException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> PlainJson.parse("{\"a\": 1} x")).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("line: 1");
        assertThatThrownBy(() -> PlainJson.parse("{\"a\": 1}{}")).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("after the JSON value");
        assertThatThrownBy(() -> PlainJson.parse("{\"a\": }")).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("column: 7");
        assertThatThrownBy(() -> PlainJson.write(Map.of("p", Path.of("/x")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sun.nio.fs.UnixPath");
    }

    /** The value's shape with each leaf replaced by its type's simple name. */
    private static String types(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, String> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, types(x)));
            return out.toString();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(PlainJsonTest::types).toList().toString();
        }
        return v == null ? "null" : v.getClass().getSimpleName();
    }
}
