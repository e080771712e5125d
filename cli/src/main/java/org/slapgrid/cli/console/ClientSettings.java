package org.slapgrid.cli.console;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.slapgrid.slap.SlapClient;

/**
 * Where the console finds the master and its credential, first match wins:
 * <ol>
 *   <li>options {@code --master-url}, {@code --token-file}, {@code --ca};</li>
 *   <li>environment {@code SLAPOS_MASTER_URL}, {@code SLAPOS_TOKEN} (the token itself), {@code SLAPOS_CA};</li>
 *   <li>{@code [slapconsole]} of the client file ({@code --config}, {@code SLAPOS_CLIENT_CONFIG}, or
 *       {@code ~/.slapos/client.cfg}): {@code master_url}, {@code token_file}, {@code ca_file};</li>
 *   <li>the embedded master's defaults: {@code http://127.0.0.1:5080/} and {@code ~/.slapos/master/admin-token}.</li>
 * </ol>
 */
record ClientSettings(URI masterUrl, String token, Path caFile) {

    static final String SECTION = "slapconsole";

    static ClientSettings resolve(ConsoleOptions o, Map<String, String> env, Path home) {
        Path cfgFile = o.config != null ? o.config
                : env.get("SLAPOS_CLIENT_CONFIG") != null ? Path.of(env.get("SLAPOS_CLIENT_CONFIG"))
                : home.resolve(".slapos/client.cfg");
        IniFile ini = null;
        if (Files.exists(cfgFile)) {
            try {
                ini = IniFile.read(cfgFile);
            } catch (IOException e) {
                throw new BadSettings(e.getMessage());
            }
        } else if (o.config != null) {
            throw new BadSettings("--config: " + cfgFile + " does not exist");
        }
        String url = first(o.masterUrl, env.get("SLAPOS_MASTER_URL"), ini == null ? null : ini.get(SECTION, "master_url"),
                "http://127.0.0.1:5080/");
        String ca = first(o.ca == null ? null : o.ca.toString(), env.get("SLAPOS_CA"), ini == null ? null : ini.get(SECTION, "ca_file"), null);
        String token;
        if (o.tokenFile != null) {
            token = readToken(o.tokenFile, "--token-file");
        } else if (env.get("SLAPOS_TOKEN") != null && !env.get("SLAPOS_TOKEN").isBlank()) {
            token = env.get("SLAPOS_TOKEN").strip();
        } else if (ini != null && ini.get(SECTION, "token_file") != null) {
            token = readToken(expand(ini.get(SECTION, "token_file"), home), cfgFile + ": [" + SECTION + "] token_file");
        } else {
            Path dflt = home.resolve(".slapos/master/admin-token");
            token = Files.isReadable(dflt) ? readToken(dflt, dflt.toString()) : null;
        }
        URI uri;
        try {
            uri = URI.create(url);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("not http(s)");
            }
        } catch (IllegalArgumentException e) {
            throw new BadSettings("the master URL '" + url + "' is not an http(s) URL");
        }
        return new ClientSettings(uri, token, ca == null ? null : expand(ca, home));
    }

    SlapClient client() {
        if (token == null) {
            throw new BadSettings("no API token: give --token-file, set SLAPOS_TOKEN, or set token_file in [" + SECTION
                    + "] of ~/.slapos/client.cfg");
        }
        SlapClient.Builder b = SlapClient.builder(masterUrl).token(token).timeout(Duration.ofSeconds(30));
        if (caFile != null) {
            try {
                b.trust(caFile, null);
            } catch (IllegalArgumentException e) {
                throw new BadSettings(e.getMessage());
            }
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "ClientSettings[" + masterUrl + ", token=" + (token == null ? "none" : "***") + ", ca=" + caFile + "]";
    }

    private static String readToken(Path file, String what) {
        try {
            String t = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (t.isEmpty()) {
                throw new BadSettings(what + ": " + file + " is empty");
            }
            return t;
        } catch (IOException e) {
            throw new BadSettings(what + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    private static Path expand(String p, Path home) {
        return p.startsWith("~/") ? home.resolve(p.substring(2)) : Path.of(p);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    /** Bad client settings: exit status 2 with this message. */
    static final class BadSettings extends RuntimeException {
        BadSettings(String message) {
            super(message);
        }
    }
}
