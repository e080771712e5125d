package org.slapgrid.cli.buildout;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The resolved configuration as JSON, keys sorted at every level. */
final class JsonOutput {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(SerializationFeature.INDENT_OUTPUT, true);

    private JsonOutput() {
    }

    static String sorted(Map<String, Map<String, String>> sections) throws JsonProcessingException {
        return JSON.writeValueAsString(sections);
    }
}
