package org.slapgrid.recipes.template.jinja;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slapgrid.buildout.python.Py;
import org.slapgrid.buildout.python.PyList;
import org.slapgrid.buildout.python.PyTuple;

/** {@code dumps} writes what a {@code key} context line reads back as the same value. */
class BuildoutDumpsTest {

    @Test
    void plainStringsStayAsTheyAreOtherValuesBecomeALiteral() {
        assertThat(BuildoutDumps.dumps("/srv/slapgrid/bin")).isEqualTo("/srv/slapgrid/bin");
        assertThat(BuildoutDumps.dumps(" padded")).isEqualTo("\\' padded'");
        assertThat(BuildoutDumps.dumps(8080L)).isEqualTo("\\8080");
        assertThat(BuildoutDumps.dumps("a ${b:c}")).as("$ doubled for buildout").isEqualTo("\\'a $${b:c}'");
    }

    @Test
    void whatDumpsWritesLoadsBack() {
        Map<Object, Object> d = new LinkedHashMap<>();
        d.put("port", 80L);
        d.put("hosts", new PyList(List.of("a", "b")));
        d.put("none", null);
        d.put("flag", true);
        d.put("pair", new PyTuple(1.5, -2L));
        d.put("text", "line\nwith 'quotes' and \"double\" and \\");
        String written = BuildoutDumps.dumps(d);
        // buildout gives the option back with $$ as $; nothing here has a $.
        assertThat(Py.repr(BuildoutDumps.loads(written))).isEqualTo(Py.repr(d));
        assertThat(BuildoutDumps.loads("plain text")).isEqualTo("plain text");
        assertThat(BuildoutDumps.loads("\\not a literal(")).isEqualTo("\\not a literal(");
        assertThat(BuildoutDumps.loads("\\__import__('os')")).as("only literals").isEqualTo("\\__import__('os')");
    }
}
