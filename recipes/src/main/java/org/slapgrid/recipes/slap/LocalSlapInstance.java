package org.slapgrid.recipes.slap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.recipes.support.Json;

/**
 * A {@link SlapInstance} backed by local JSON files, for running an instance profile without a
 * master (and for tests).
 *
 * <p>The instance file holds the configuration (its format is {@link InstanceFile}'s):
 * <pre>{@code
 * {"node-id": "COMP-1", "partition-id": "slappart0", "software-release-url": "...",
 *  "software-type": "default", "requested-state": "started",
 *  "parameters": {"name": "x"}, "ipv4": ["10.0.0.2"], "ipv6": ["fd00::2"],
 *  "instance-title": "...", "root-instance-title": "...", "instance-guid": "...",
 *  "shared-instances": [{"slave_reference": "s1", ...}],
 *  "children": {"child-name": {"state": "started", "connection": {"url": "..."}}}}
 * }</pre>
 * {@code children} is what {@link #request} answers for a child of that name (a child not listed
 * answers its requested state and no connection parameters).
 *
 * <p>{@link #publish} writes {@code {"connection": {...}, "shared": {ref: {...}}}} to the
 * published file, {@link #request} records every request by child name in the requested file;
 * both are written atomically, with sorted keys, and only when their content changes.
 */
public final class LocalSlapInstance implements SlapInstance {

    private final Path instanceFile;
    private final Path publishedFile;
    private final Path requestedFile;

    public LocalSlapInstance(Path instanceFile, Path publishedFile, Path requestedFile) {
        this.instanceFile = instanceFile;
        this.publishedFile = publishedFile;
        this.requestedFile = requestedFile;
    }

    /** The published and requested files beside the instance file: {@code published.json}, {@code requested.json}. */
    public static LocalSlapInstance beside(Path instanceFile) {
        Path dir = instanceFile.toAbsolutePath().getParent();
        return new LocalSlapInstance(instanceFile, dir.resolve("published.json"), dir.resolve("requested.json"));
    }

    public Path instanceFile() { return instanceFile; }
    public Path publishedFile() { return publishedFile; }
    public Path requestedFile() { return requestedFile; }

    @Override
    public InstanceConfiguration configuration() {
        return InstanceFile.decode(readObject(instanceFile, true));
    }

    @Override
    public synchronized void publish(Map<String, String> connection) {
        Map<String, Object> doc = readObject(publishedFile, false);
        doc.put("connection", new TreeMap<>(connection));
        writeObject(publishedFile, doc);
    }

    @Override
    public synchronized void publishShared(String sharedInstanceReference, Map<String, String> connection) {
        Map<String, Object> doc = readObject(publishedFile, false);
        Map<String, Object> shared = map(doc, "shared");
        shared.put(sharedInstanceReference, new TreeMap<>(connection));
        doc.put("shared", shared);
        writeObject(publishedFile, doc);
    }

    /** The connection parameters last published, empty if none. */
    public Map<String, String> published() {
        Map<String, String> result = new TreeMap<>();
        map(readObject(publishedFile, false), "connection").forEach((k, v) -> result.put(k, String.valueOf(v)));
        return result;
    }

    /** Every request recorded so far, by child name, as JSON-like maps. */
    public Map<String, Object> requested() {
        return readObject(requestedFile, false);
    }

    @Override
    public synchronized ChildInstance request(ChildRequest request) {
        Map<String, Object> doc = readObject(requestedFile, false);
        Map<String, Object> entry = new TreeMap<>();
        entry.put("software-url", request.softwareUrl());
        entry.put("software-type", request.softwareType());
        entry.put("parameters", request.parameters());
        entry.put("sla", request.sla());
        entry.put("state", request.state());
        entry.put("shared", request.shared());
        doc.put(request.name(), entry);
        writeObject(requestedFile, doc);

        Map<String, Object> child = map(map(readObject(instanceFile, true), "children"), request.name());
        Map<String, String> connection = new TreeMap<>();
        map(child, "connection").forEach((k, v) -> connection.put(k, v == null ? "" : String.valueOf(v)));
        return new ChildInstance(request.name(), string(child, "state", request.state()),
                string(child, "instance-guid", ""), connection);
    }

    private static Map<String, Object> readObject(Path file, boolean mandatory) {
        return InstanceFile.read(file, mandatory);
    }

    private static void writeObject(Path file, Map<String, Object> doc) {
        try {
            AtomicFiles.writeIfChanged(file, Json.writePretty(doc), 0600);
        } catch (IOException e) {
            throw new SlapInstanceException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String string(Map<String, Object> doc, String key, String defaultValue) {
        return InstanceFile.string(doc, key, defaultValue);
    }

    private static Map<String, Object> map(Map<String, Object> doc, String key) {
        return InstanceFile.map(doc, key);
    }
}
