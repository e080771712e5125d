package org.slapgrid.buildout.spi;

/**
 * Where a piece of configuration was written: a file path or URL and a 1-based line number
 * (0 when the line is not known, for example a default or a command-line assignment).
 */
public record SourceLocation(String file, int line) {

    public static final SourceLocation DEFAULT = new SourceLocation("DEFAULT_VALUE", 0);
    public static final SourceLocation COMPUTED = new SourceLocation("COMPUTED_VALUE", 0);
    public static final SourceLocation COMMAND_LINE = new SourceLocation("COMMAND_LINE_VALUE", 0);

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line : file;
    }
}
