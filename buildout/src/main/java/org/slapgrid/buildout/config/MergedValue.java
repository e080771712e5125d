package org.slapgrid.buildout.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.slapgrid.buildout.spi.SourceLocation;

/**
 * An option value after merging files, with where its text was last written (for errors) and
 * how it got there (for {@code annotate}, reference §1.11). Immutable: merging makes new ones.
 */
public record MergedValue(String value, SourceLocation location, List<Step> history) {

    public enum Op { SET, OVERRIDE, ADD, REMOVE, DIRECTORY }

    /** One operation on the value: what was done, by which file (or DEFAULT_VALUE...), with which text. */
    public record Step(Op op, String source, String value) {
    }

    public static MergedValue set(String value, SourceLocation location, String source) {
        return new MergedValue(value, location, List.of(new Step(Op.SET, source, value)));
    }

    public static MergedValue set(String value, SourceLocation location) {
        return set(value, location, location.file());
    }

    /** The last source that touched the value. */
    public String source() {
        return history.get(history.size() - 1).source();
    }

    /** This value overridden by a newer plain assignment. */
    public MergedValue overriddenBy(MergedValue newer) {
        List<Step> h = new ArrayList<>(history);
        h.add(new Step(Op.OVERRIDE, newer.source(), newer.value()));
        return new MergedValue(newer.value(), newer.location(), List.copyOf(h));
    }

    /** {@code +=}: the lines of {@code added} appended to this value's lines. */
    public MergedValue plus(RawIncrement added) {
        List<Step> h = new ArrayList<>(history);
        h.add(new Step(Op.ADD, added.source(), added.value()));
        return new MergedValue(value + "\n" + added.value(), added.location(), List.copyOf(h));
    }

    /** {@code -=}: the lines equal to any line of {@code removed} dropped from this value. */
    public MergedValue minus(RawIncrement removed) {
        Set<String> drop = Arrays.stream(removed.value().split("\n", -1)).collect(Collectors.toSet());
        String kept = Arrays.stream(value.split("\n", -1)).filter(l -> !drop.contains(l))
                .collect(Collectors.joining("\n"));
        List<Step> h = new ArrayList<>(history);
        h.add(new Step(Op.REMOVE, removed.source(), removed.value()));
        return new MergedValue(kept, removed.location(), List.copyOf(h));
    }

    /** The value made absolute (path normalisation of [buildout]); the source is unchanged. */
    public MergedValue directory(String absolute) {
        List<Step> h = new ArrayList<>(history);
        h.add(new Step(Op.DIRECTORY, source(), absolute));
        return new MergedValue(absolute, location, List.copyOf(h));
    }

    /** An increment as written: the text and where. */
    public record RawIncrement(String value, SourceLocation location, String source) {
        static RawIncrement of(MergedValue v) {
            return new RawIncrement(v.value(), v.location(), v.source());
        }
    }
}
