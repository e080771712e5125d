package org.slapgrid.recipes.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.slapgrid.recipes.support.Json;

/**
 * What {@code import NAME json} gives a Jinja2 template: Python's {@code json.dumps} and
 * {@code json.loads}, the module SlapOS templates import most.
 */
public final class JsonModule {

    public String dumps(Object value) {
        return Json.write(value);
    }

    public Object loads(String text) throws JsonProcessingException {
        return Json.parse(text);
    }
}
