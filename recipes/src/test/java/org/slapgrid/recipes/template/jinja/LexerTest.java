package org.slapgrid.recipes.template.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LexerTest {

    /** The text of a raw block is on the line where it starts, after an opening tag written over lines. */
    @Test
    void rawTextIsOnTheLineAfterItsOpeningTag() {
        List<Lexer.Token> tokens = Lexer.tokenize("t", "{%\nraw\n%}q\n{% endraw %}{{ x }}");
        Lexer.Token data = tokens.get(0);
        assertEquals(Lexer.Kind.DATA, data.kind());
        assertEquals("q\n", data.text());
        assertEquals(3, data.line());
        assertEquals(4, tokens.get(1).line());   // the {{ after the raw block
    }
}
