package org.slapgrid.recipes.template.jinja;

import java.util.ArrayList;
import java.util.List;
import org.slapgrid.buildout.python.Py;

/**
 * Splits a template into tokens as Jinja2's lexer does with the default delimiters, the default
 * whitespace options (trim_blocks and lstrip_blocks off) and keep_trailing_newline off: one final
 * newline of the source is dropped, {@code -} on a tag strips the whitespace on that side,
 * {@code {% raw %}} blocks are data, newlines are normalised to {@code \n}.
 */
final class Lexer {

    enum Kind { DATA, VAR_BEGIN, VAR_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INT, FLOAT, OP, EOF }

    record Token(Kind kind, String text, Object value, int line) {
        boolean isOp(String t) {
            return kind == Kind.OP && text.equals(t);
        }

        boolean isName(String t) {
            return kind == Kind.NAME && text.equals(t);
        }

        @Override
        public String toString() {
            return kind == Kind.EOF ? "end of template" : kind == Kind.BLOCK_END ? "end of statement block"
                    : kind == Kind.VAR_END ? "end of print statement" : "'" + text + "'";
        }
    }

    private static final String[] OPERATORS = {
        "//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}",
        ">", "<", "=", ".", ":", "|", ",", ";"};

    private final String template;
    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int line = 1;

    private Lexer(String template, String source) {
        this.template = template;
        String s = source.replace("\r\n", "\n").replace('\r', '\n');
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        this.src = s;
    }

    static List<Token> tokenize(String template, String source) {
        Lexer lexer = new Lexer(template, source);
        lexer.run();
        return lexer.tokens;
    }

    private TemplateError error(String message) {
        return new TemplateError("TemplateSyntaxError", template, line, message);
    }

    private void run() {
        boolean stripLeading = false;
        while (pos < src.length()) {
            int next = nextTagStart(pos);
            int end = next < 0 ? src.length() : next;
            boolean stripTrailing = next >= 0 && next + 2 < src.length() && src.charAt(next + 2) == '-';
            data(src.substring(pos, end), stripLeading, stripTrailing, pos, end);
            pos = end;
            if (next < 0) {
                break;
            }
            char kind = src.charAt(next + 1);
            pos = next + 2;
            if (pos < src.length() && (src.charAt(pos) == '-' || src.charAt(pos) == '+')) {
                pos++;
            }
            if (kind == '#') {
                stripLeading = comment();
            } else if (kind == '%' && isRaw()) {
                stripLeading = raw();
            } else {
                stripLeading = tag(kind == '%');
            }
        }
        tokens.add(new Token(Kind.EOF, "", null, line));
    }

    private int nextTagStart(int from) {
        int i = from;
        while (true) {
            int at = src.indexOf('{', i);
            if (at < 0 || at + 1 >= src.length()) {
                return -1;
            }
            char c = src.charAt(at + 1);
            if (c == '{' || c == '%' || c == '#') {
                return at;
            }
            i = at + 1;
        }
    }

    /**
     * Text outside tags, whitespace control applied: a DATA token on the current line (none when
     * the text is empty), then the lines of the source from {@code from} to {@code to} counted.
     */
    private void data(String text, boolean stripStart, boolean stripEnd, int from, int to) {
        if (stripStart) {
            text = lstrip(text);
        }
        if (stripEnd) {
            text = rstrip(text);
        }
        if (!text.isEmpty()) {
            tokens.add(new Token(Kind.DATA, text, null, line));
        }
        countLines(from, to);
    }

    private void countLines(int from, int to) {
        for (int i = from; i < to; i++) {
            if (src.charAt(i) == '\n') {
                line++;
            }
        }
    }

    private static String lstrip(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return s.substring(i);
    }

    private static String rstrip(String s) {
        int i = s.length();
        while (i > 0 && Character.isWhitespace(s.charAt(i - 1))) {
            i--;
        }
        return s.substring(0, i);
    }

    /** Skips a comment; true when it ends with {@code -#}}. */
    private boolean comment() {
        int end = src.indexOf("#}", pos);
        if (end < 0) {
            throw error("Missing end of comment tag");
        }
        boolean strip = end > pos && src.charAt(end - 1) == '-';
        countLines(pos, end);
        pos = end + 2;
        return strip;
    }

    private boolean isRaw() {
        int i = skipSpaces(pos);
        return src.startsWith("raw", i) && endsTag(skipSpaces(i + 3));
    }

    private boolean endsTag(int i) {
        return src.startsWith("%}", i) || src.startsWith("-%}", i) || src.startsWith("+%}", i);
    }

    /** Past the blanks from {@code i}; only looks ahead: the lines are counted where the text is consumed. */
    private int skipSpaces(int i) {
        while (i < src.length() && Character.isWhitespace(src.charAt(i))) {
            i++;
        }
        return i;
    }

    /** {@code {% raw %}...{% endraw %}}: the text between is data, whitespace control applied. */
    private boolean raw() {
        int i = skipSpaces(skipSpaces(pos) + 3);
        boolean stripAfterOpen = src.charAt(i) == '-';
        i = src.indexOf("%}", i) + 2;
        int search = i;
        while (true) {
            int open = src.indexOf("{%", search);
            if (open < 0) {
                throw error("Missing end of raw directive");
            }
            int j = open + 2;
            boolean stripBeforeClose = j < src.length() && src.charAt(j) == '-';
            if (j < src.length() && (src.charAt(j) == '-' || src.charAt(j) == '+')) {
                j++;
            }
            while (j < src.length() && Character.isWhitespace(src.charAt(j))) {
                j++;
            }
            if (src.startsWith("endraw", j)) {
                int k = j + 6;
                while (k < src.length() && Character.isWhitespace(src.charAt(k))) {
                    k++;
                }
                if (endsTag(k)) {
                    countLines(pos, i);   // the opening tag's own lines: the text starts after it
                    data(src.substring(i, open), stripAfterOpen, stripBeforeClose, i, open);
                    boolean strip = src.charAt(k) == '-';
                    int close = src.indexOf("%}", k) + 2;
                    countLines(open, close);
                    pos = close;
                    return strip;
                }
            }
            search = open + 2;
        }
    }

    /** Tokens of a {@code {{ }}} or {@code {% %}} tag; true when it ends with a {@code -}. */
    private boolean tag(boolean block) {
        String close = block ? "%}" : "}}";
        tokens.add(new Token(block ? Kind.BLOCK_BEGIN : Kind.VAR_BEGIN, block ? "{%" : "{{", null, line));
        int depth = 0;
        while (true) {
            while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
                if (src.charAt(pos) == '\n') {
                    line++;
                }
                pos++;
            }
            if (pos >= src.length()) {
                throw error("unexpected end of template, expected '" + close + "'");
            }
            if (depth <= 0) {
                if (src.startsWith("-" + close, pos) || src.startsWith("+" + close, pos) && block) {
                    boolean strip = src.charAt(pos) == '-';
                    tokens.add(new Token(block ? Kind.BLOCK_END : Kind.VAR_END, close, null, line));
                    pos += 3;
                    return strip;
                }
                if (src.startsWith(close, pos)) {
                    tokens.add(new Token(block ? Kind.BLOCK_END : Kind.VAR_END, close, null, line));
                    pos += 2;
                    return false;
                }
            }
            char c = src.charAt(pos);
            if (c == '\'' || c == '"') {
                string(c);
            } else if (Character.isDigit(c)) {
                number();
            } else if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                    pos++;
                }
                tokens.add(new Token(Kind.NAME, src.substring(start, pos), null, line));
            } else {
                String op = null;
                for (String candidate : OPERATORS) {
                    if (src.startsWith(candidate, pos)) {
                        op = candidate;
                        break;
                    }
                }
                if (op == null) {
                    throw error("unexpected char '" + c + "' at " + pos);
                }
                if (op.equals("(") || op.equals("[") || op.equals("{")) {
                    depth++;
                } else if (op.equals(")") || op.equals("]") || op.equals("}")) {
                    depth--;
                }
                tokens.add(new Token(Kind.OP, op, null, line));
                pos += op.length();
            }
        }
    }

    private void number() {
        int start = pos;
        while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
            pos++;
        }
        boolean isFloat = false;
        if (pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))
                && (start == 0 || src.charAt(start - 1) != '.')) {
            isFloat = true;
            pos++;
            while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                pos++;
            }
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                isFloat = true;
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
        String text = src.substring(start, pos);
        String digits = text.replace("_", "");
        Object value = isFloat ? (Object) Double.parseDouble(digits) : Py.parseInt(digits);
        tokens.add(new Token(isFloat ? Kind.FLOAT : Kind.INT, text, value, line));
    }

    private void string(char quote) {
        int startLine = line;
        StringBuilder out = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= src.length()) {
                throw error("unexpected end of string");
            }
            char c = src.charAt(pos);
            if (c == quote) {
                pos++;
                break;
            }
            if (c == '\n') {
                line++;
            }
            if (c == '\\' && pos + 1 < src.length()) {
                char e = src.charAt(pos + 1);
                pos += 2;
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case '0' -> out.append('\0');
                    case 'a' -> out.append('\007');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'v' -> out.append('\013');
                    case '\\' -> out.append('\\');
                    case '\'' -> out.append('\'');
                    case '"' -> out.append('"');
                    case '\n' -> line++;
                    case 'x' -> {
                        out.append((char) Integer.parseInt(src.substring(pos, pos + 2), 16));
                        pos += 2;
                    }
                    case 'u' -> {
                        out.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    case 'U' -> {
                        out.appendCodePoint(Integer.parseInt(src.substring(pos, pos + 8), 16));
                        pos += 8;
                    }
                    default -> out.append('\\').append(e);
                }
                continue;
            }
            out.append(c);
            pos++;
        }
        tokens.add(new Token(Kind.STRING, out.toString(), out.toString(), startLine));
    }
}
