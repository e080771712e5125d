package org.slapgrid.node.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The node's JSON mappers, one place for their configuration (the protocol's own is
 * {@link org.slapgrid.slap.Json}). Each call returns a new mapper: a class keeps its own in a
 * constant, so a change of one file format cannot leak into another.
 */
public final class Json {
    private Json() {
    }

    /** Jackson's defaults: the control socket, status, limits files. */
    public static ObjectMapper plain() {
        return JsonMapper.builder().build();
    }

    /** Indented output: files people read (the formatted node's record). */
    public static ObjectMapper indented() {
        return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    }

    /** Map entries by key: the same data gives the same text, so its hash means "unchanged". */
    public static ObjectMapper canonical() {
        return JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    }

    /** java.time values as ISO-8601 text (state files: convergence and promise records). */
    public static ObjectMapper isoTimes() {
        return JsonMapper.builder().addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    }

    /** java.time values as epoch-second numbers: the disk meter's records have always been so. */
    public static ObjectMapper numericTimes() {
        return JsonMapper.builder().addModule(new JavaTimeModule()).build();
    }
}
