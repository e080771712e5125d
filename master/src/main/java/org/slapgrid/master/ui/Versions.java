package org.slapgrid.master.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The WebJars' versions, from the parent pom (filtered into versions.properties at build time). */
final class Versions {
    static final String HTMX;
    static final String HTMX_SSE;
    static final String UPLOT;
    static final String SWAGGER_UI;

    static {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getClassLoader().getResourceAsStream("slapgrid-ui/versions.properties")) {
            if (in == null) {
                throw new IllegalStateException("slapgrid-ui/versions.properties is missing from the master's classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HTMX = p.getProperty("htmx");
        HTMX_SSE = p.getProperty("htmx-ext-sse");
        UPLOT = p.getProperty("uplot");
        SWAGGER_UI = p.getProperty("swagger-ui");
    }

    private Versions() {
    }
}
