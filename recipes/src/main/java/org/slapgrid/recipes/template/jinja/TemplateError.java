package org.slapgrid.recipes.template.jinja;

/**
 * A template that cannot be parsed or rendered, with where: the template name, the line and the
 * construct ({@code {% for %}}, a filter, a name...). {@code kind} is Jinja2's (or Python's)
 * exception class name, so a message reads as the same failure under Jinja2.
 */
public final class TemplateError extends RuntimeException {

    private final String kind;
    private final String template;
    private final int line;
    private final String detail;

    public TemplateError(String kind, String template, int line, String detail) {
        super(describe(kind, template, line, detail));
        this.kind = kind;
        this.template = template;
        this.line = line;
        this.detail = detail;
    }

    private static String describe(String kind, String template, int line, String detail) {
        return (template == null ? "" : template) + (line > 0 ? ", line " + line : "") + ": " + kind + ": " + detail;
    }

    public String kind() {
        return kind;
    }

    public String template() {
        return template;
    }

    public int line() {
        return line;
    }

    /** The message alone, as Jinja2 words it ({@code 'x' is undefined}). */
    public String detail() {
        return detail;
    }
}
