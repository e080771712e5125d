package org.slapgrid.buildout.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.buildout.spi.SourceLocation;
import org.slapgrid.buildout.spi.Words;

/**
 * zc.buildout's line parser (reference §1.1-1.3), written as a small state machine over the
 * lines of one file. Syntax errors are collected and reported together at the end, except a
 * missing section header, which stops at once as in buildout.
 */
public final class ConfigParser {

    /** Suffixes of not-yet-merged increments: {@code opt += v} is stored as key {@code "opt +"}. */
    public static final String ADD = " +";
    public static final String REMOVE = " -";
    public static final String PROFILE_BASE = "_profile_base_location_";
    private static final String PROFILE_BASE_REF = "${:" + PROFILE_BASE + "}";

    /** A section header line: its name and its condition ({@code [name: expression]}), null when it has none. */
    record Header(String name, String expression) {
    }

    /** Asked for only when a section header has a condition: its Python globals take a while to build. */
    private final Supplier<ConditionEvaluator> conditions;

    public ConfigParser(ConditionEvaluator conditions) {
        Objects.requireNonNull(conditions);
        this.conditions = () -> conditions;
    }

    public ConfigParser() {
        this.conditions = ConditionEvaluator::shared;
    }

    /** Mutable per-file state: the parser's cursor. */
    private static final class State {
        Map<String, RawValue> section;       // null before the first header
        String sectionName;
        boolean included = true;             // false under a header whose condition is false
        String option;                       // the option that continuation lines extend
        boolean blockMode;
        final Map<String, Map<String, StringBuilder>> values = new LinkedHashMap<>();
        final List<String> errors = new ArrayList<>();
        SourceLocation firstError;
    }

    /**
     * Parses the text of one file.
     *
     * @param name file path or URL (for messages)
     * @param base folder or URL prefix replacing {@code ${:_profile_base_location_}}; null: no replacement
     */
    public ParsedFile parse(String text, String name, String base) {
        Map<String, Map<String, RawValue>> sections = new LinkedHashMap<>();
        State st = new State();
        List<String> lines = splitLines(text);
        for (int i = 0; i < lines.size(); i++) {
            parseLine(lines.get(i), i + 1, name, sections, st);
        }
        if (!st.errors.isEmpty()) {
            // one bad line gives a one-line message; several are listed one per line, as buildout does
            String listed = st.errors.size() == 1 ? " " + st.errors.get(0).strip() : String.join("", st.errors);
            throw BuildoutException.configuration(st.firstError, "File contains parsing errors: " + name + listed);
        }
        finish(sections, base);
        return new ParsedFile(name, base, sections);
    }

    private void parseLine(String line, int lineNo, String file, Map<String, Map<String, RawValue>> sections, State st) {
        char first = line.isEmpty() ? '\n' : line.charAt(0);
        if (first == '#' || first == ';') {
            return;
        }
        if (Character.isWhitespace(first) && st.section != null && st.option != null) {
            if (!st.included) {
                return;
            }
            String piece = st.blockMode ? stripTrailing(line) : line.strip();
            if (!st.blockMode && piece.isEmpty()) {
                return;
            }
            RawValue old = st.section.get(st.option);
            st.section.put(st.option, new RawValue(old.value() + "\n" + piece, old.location()));
            return;
        }
        Header header = first == '[' ? header(line) : null;
        if (header != null) {
            startSection(header, lineNo, file, sections, st);
            return;
        }
        if (st.section == null) {
            if (line.isBlank()) {
                return;
            }
            throw BuildoutException.configuration(new SourceLocation(file, lineNo),
                    "File contains no section headers: " + pyRepr(line));
        }
        String optionLine = line.startsWith("=>") ? "<part-dependencies> = " + line.substring(2) : line;
        int eq = optionEquals(optionLine);
        if (eq > 0) {
            startOption(optionLine.substring(0, eq), optionLine.substring(eq + 1), lineNo, file, st);
            return;
        }
        if (st.option == null && line.isBlank()) {
            return;
        }
        if (st.firstError == null) {
            st.firstError = new SourceLocation(file, lineNo);
        }
        st.errors.add(String.format("%n\t[line %2d]: %s", lineNo, pyRepr(line)));
    }

    private void startSection(Header header, int lineNo, String file, Map<String, Map<String, RawValue>> sections, State st) {
        String name = header.name();
        String expression = header.expression();
        boolean included = true;
        if (expression != null && !expression.isBlank()) {
            SourceLocation where = new SourceLocation(file, lineNo);
            String expr = expression.replace("\\x23", "#").replace("\\x3b", ";");
            included = conditions.get().evaluate(expr, where);
        }
        st.included = included;
        st.sectionName = name;
        st.option = null;
        if (included) {
            st.section = sections.computeIfAbsent(name, k -> new LinkedHashMap<>());
        } else {
            st.section = new LinkedHashMap<>();   // parsed for syntax, then dropped
        }
    }

    /**
     * The line as a section header, or null: buildout's header regex
     * {@code \[\s*([^\s#\[\]:;{}]+)\s*(?::([^#;]*))?\s*\]\s*(?:[#;].*)?} (a whole-line match, Java's
     * {@code \s}) written as a scan, as {@link #optionEquals} is; here because compiling a
     * regular expression is a measurable part of a short {@code slapos buildout} run
     * (docs/benchmarks.md). {@code ScansTest} checks it against the regex.
     */
    static Header header(String line) {
        int n = line.length();
        if (n == 0 || line.charAt(0) != '[') {
            return null;
        }
        int i = skipRegexSpace(line, 1);
        int nameStart = i;
        while (i < n && isHeaderNameChar(line.charAt(i))) {
            i++;
        }
        if (i == nameStart) {
            return null;
        }
        String name = line.substring(nameStart, i);
        i = skipRegexSpace(line, i);
        String expression = null;
        int close;
        if (i < n && line.charAt(i) == ':') {
            // The expression cannot hold '#' or ';': it ends at the last ']' before the first of
            // them that only blanks follow (the regex's greedy group, backtracked).
            int limit = i + 1;
            while (limit < n && line.charAt(limit) != '#' && line.charAt(limit) != ';') {
                limit++;
            }
            close = limit - 1;
            while (close > i && Words.isSpace(line.charAt(close))) {
                close--;
            }
            if (close <= i || line.charAt(close) != ']') {
                return null;
            }
            expression = line.substring(i + 1, close);
        } else if (i < n && line.charAt(i) == ']') {
            close = i;
        } else {
            return null;
        }
        int rest = skipRegexSpace(line, close + 1);
        return rest == n || line.charAt(rest) == '#' || line.charAt(rest) == ';' ? new Header(name, expression) : null;
    }

    private static boolean isHeaderNameChar(char c) {
        return !Words.isSpace(c) && c != '#' && c != '[' && c != ']' && c != ':' && c != ';' && c != '{' && c != '}';
    }

    private static int skipRegexSpace(String s, int from) {
        int i = from;
        while (i < s.length() && Words.isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * The index of the '=' that ends an option name, or -1: buildout's option regex
     * {@code ([^\s{}[\]=:]+\s*[-+]?)=(.*)} written as a scan (same matches, no backtracking).
     */
    static int optionEquals(String line) {
        int i = 0;
        int n = line.length();
        while (i < n && isNameChar(line.charAt(i))) {
            i++;
        }
        if (i == 0) {
            return -1;
        }
        while (i < n && isRegexSpace(line.charAt(i))) {
            i++;
        }
        if (i < n && (line.charAt(i) == '+' || line.charAt(i) == '-')) {
            i++;
        }
        return i < n && line.charAt(i) == '=' ? i : -1;
    }

    private static boolean isNameChar(char c) {
        return !isRegexSpace(c) && c != '{' && c != '}' && c != '[' && c != ']' && c != '=' && c != ':';
    }

    /** Python's {@code \s} for str patterns. */
    private static boolean isRegexSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u001c' || c == '\u001d' || c == '\u001e' || c == '\u001f';
    }

    private void startOption(String rawKey, String rawValue, int lineNo, String file, State st) {
        String key = stripTrailing(rawKey);
        String value = rawValue.strip();
        SourceLocation where = new SourceLocation(file, lineNo);
        Map<String, RawValue> section = st.section;
        if (key.endsWith("+") || key.endsWith("-")) {
            boolean add = key.endsWith("+");
            String base = add ? rstrip(key, " +") : rstrip(key, " -");
            String canonical = base + (add ? ADD : REMOVE);
            RawValue earlier = section.get(canonical);
            // zc.buildout 3.1.1+ (#656): a second increment of one option in one file appends
            // its lines to the first instead of replacing it.
            if (earlier != null) {
                section.remove(canonical);
                // an empty value starts a block: its continuation lines append themselves
                String joined = value.isEmpty() ? earlier.value() : earlier.value() + "\n" + value;
                section.put(canonical, new RawValue(joined, earlier.location()));
                st.option = canonical;
                // block lines keep their indentation only if the whole value is a block (dedented at the end)
                st.blockMode = value.isEmpty() && (earlier.value().isEmpty() || Character.isWhitespace(earlier.value().charAt(0)));
                return;
            }
            section.put(canonical, new RawValue(value, where));
            st.option = canonical;
        } else {
            // A plain assignment cancels the pending increments of the same option (#656).
            section.remove(key + ADD);
            section.remove(key + REMOVE);
            section.remove(key);            // re-insert: the last assignment wins and is ordered last
            section.put(key, new RawValue(value, where));
            st.option = key;
        }
        st.blockMode = value.isEmpty();
    }

    /** Block values are dedented, blank-trimmed; the profile base is substituted textually. */
    private static void finish(Map<String, Map<String, RawValue>> sections, String base) {
        for (Map<String, RawValue> section : sections.values()) {
            for (Map.Entry<String, RawValue> e : section.entrySet()) {
                RawValue v = e.getValue();
                String value = v.value();
                if (!value.isEmpty() && Character.isWhitespace(value.charAt(0))) {
                    value = removeLeadingBlankLines(dedent(stripTrailing(value)));
                }
                if (base != null && value.contains(PROFILE_BASE_REF)) {
                    value = replaceProfileBase(value, base);
                }
                if (!value.equals(v.value())) {
                    e.setValue(new RawValue(value, v.location()));
                }
            }
            if (base != null) {
                section.remove(PROFILE_BASE);
                section.put(PROFILE_BASE, new RawValue(base, SourceLocation.COMPUTED));
            }
        }
    }

    /** Replaces the reference, except where it is escaped ({@code $${:_profile_base_location_}} stays text). */
    static String replaceProfileBase(String value, String base) {
        StringBuilder b = new StringBuilder(value.length() + base.length());
        int from = 0;
        int at;
        while ((at = value.indexOf(PROFILE_BASE_REF, from)) >= 0) {
            int dollars = 0;
            while (at - dollars - 1 >= 0 && value.charAt(at - dollars - 1) == '$') {
                dollars++;
            }
            b.append(value, from, at);
            b.append(dollars % 2 == 1 ? PROFILE_BASE_REF : base);
            from = at + PROFILE_BASE_REF.length();
        }
        return b.append(value, from, value.length()).toString();
    }

    /** Lines as Python's text-mode iteration gives them, without their newline. */
    static List<String> splitLines(String text) {
        String t = text.indexOf('\r') >= 0 ? text.replace("\r\n", "\n").replace('\r', '\n') : text;
        List<String> lines = new ArrayList<>();
        int start = 0;
        int n = t.length();
        while (start < n) {
            int nl = t.indexOf('\n', start);
            if (nl < 0) {
                lines.add(t.substring(start));
                break;
            }
            lines.add(t.substring(start, nl));
            start = nl + 1;
        }
        return lines;
    }

    /** textwrap.dedent: remove the longest common run of leading spaces/tabs of non-blank lines. */
    static String dedent(String text) {
        String[] lines = text.split("\n", -1);
        String margin = null;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            int k = 0;
            while (k < l.length() && (l.charAt(k) == ' ' || l.charAt(k) == '\t')) {
                k++;
            }
            if (k == l.length()) {
                lines[i] = "";
                continue;
            }
            String indent = l.substring(0, k);
            if (margin == null) {
                margin = indent;
            } else {
                int m = 0;
                while (m < margin.length() && m < indent.length() && margin.charAt(m) == indent.charAt(m)) {
                    m++;
                }
                margin = margin.substring(0, m);
            }
        }
        int cut = margin == null ? 0 : margin.length();
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                b.append('\n');
            }
            String l = lines[i];
            b.append(l.isEmpty() ? l : l.substring(cut));
        }
        return b.toString();
    }

    /** Python's {@code re.sub(r'^(\s*\n)+', '', value)}. */
    static String removeLeadingBlankLines(String value) {
        int end = 0;
        int i = 0;
        while (i < value.length() && Character.isWhitespace(value.charAt(i))) {
            if (value.charAt(i) == '\n') {
                end = i + 1;
            }
            i++;
        }
        return value.substring(end);
    }

    static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0 && chars.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Python's repr of a line (with its newline, as buildout shows it). */
    static String pyRepr(String line) {
        String s = line + "\n";
        char quote = s.contains("'") && !s.contains("\"") ? '"' : '\'';
        StringBuilder b = new StringBuilder().append(quote);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c == quote) {
                        b.append('\\');
                    }
                    b.append(c < 0x20 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
                }
            }
        }
        return b.append(quote).toString();
    }
}
