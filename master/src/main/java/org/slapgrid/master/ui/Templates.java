package org.slapgrid.master.ui;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/**
 * The JTE templates of src/main/jte, compiled with the master (jte-maven-plugin): HTML content
 * type, so every {@code ${value}} is escaped for where it stands (text, attribute, URL).
 */
final class Templates {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    String render(String template, Map<String, Object> params) {
        StringOutput out = new StringOutput(8192);
        engine.render(template, params, out);
        return out.toString();
    }
}
