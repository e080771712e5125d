package org.slapgrid.master.ui;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The UI's static files, served by the master itself from its classpath: its own stylesheet and
 * scripts, and the client libraries of the WebJars (htmx, its SSE extension, uPlot, Swagger UI).
 * Only the files listed here are served (no path from the request reaches the class loader), each
 * under a name that carries the library's version, so it can be cached for good.
 */
final class Assets {
    private record Asset(String resource, String contentType) {
    }

    private static final String WEBJARS = "META-INF/resources/webjars/";
    private static final Map<String, Asset> FILES = Map.of(
            "ui.css", new Asset("slapgrid-ui/static/ui.css", "text/css"),
            "ui.js", new Asset("slapgrid-ui/static/ui.js", "text/javascript"),
            "docs.js", new Asset("slapgrid-ui/static/docs.js", "text/javascript"),
            "htmx.min.js", new Asset(WEBJARS + "htmx.org/" + Versions.HTMX + "/dist/htmx.min.js", "text/javascript"),
            "sse.js", new Asset(WEBJARS + "htmx-ext-sse/" + Versions.HTMX_SSE + "/sse.js", "text/javascript"),
            "uPlot.iife.min.js", new Asset(WEBJARS + "uplot/" + Versions.UPLOT + "/dist/uPlot.iife.min.js", "text/javascript"),
            "uPlot.min.css", new Asset(WEBJARS + "uplot/" + Versions.UPLOT + "/dist/uPlot.min.css", "text/css"),
            "swagger-ui-bundle.js", new Asset(WEBJARS + "swagger-ui/" + Versions.SWAGGER_UI + "/swagger-ui-bundle.js", "text/javascript"),
            "swagger-ui.css", new Asset(WEBJARS + "swagger-ui/" + Versions.SWAGGER_UI + "/swagger-ui.css", "text/css"),
            "openapi.yaml", new Asset("slapgrid-ui/openapi.yaml", "application/yaml"));

    private final Map<String, byte[]> loaded = new ConcurrentHashMap<>();

    /** Fails at start when a WebJar or file is missing, not on a user's first page. */
    Assets() {
        FILES.keySet().forEach(this::bytes);
    }

    void serve(Context ctx) {
        String name = ctx.pathParam("file");
        Asset a = FILES.get(name);
        if (a == null) {
            ctx.status(404).contentType("text/plain").result("no such asset");
            return;
        }
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.contentType(a.contentType() + (a.contentType().startsWith("text/") ? "; charset=utf-8" : "")).result(bytes(name));
    }

    private byte[] bytes(String name) {
        return loaded.computeIfAbsent(name, n -> {
            String resource = FILES.get(n).resource();
            try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("the master's UI asset " + resource + " is missing from its classpath");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        });
    }
}
