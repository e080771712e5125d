package org.slapgrid.node.supervisor.config;

import java.util.Set;
import org.slapgrid.node.supervisor.SupervisorException;

/**
 * The configuration keys supervisord 4.2 reads, per section kind (from its {@code options.py}).
 * supervisord silently ignores any other key, so a typo in a template would change behaviour
 * without a word: {@link #check} makes the generator refuse such output instead.
 */
final class SupervisordKeys {
    private SupervisordKeys() {
    }

    private static final Set<String> PROGRAM = Set.of(
            "command", "process_name", "numprocs", "numprocs_start", "priority", "autostart", "autorestart",
            "startsecs", "startretries", "exitcodes", "stopsignal", "stopwaitsecs", "stopasgroup", "killasgroup",
            "user", "redirect_stderr", "environment", "directory", "umask", "serverurl",
            "stdout_logfile", "stdout_logfile_maxbytes", "stdout_logfile_backups", "stdout_capture_maxbytes",
            "stdout_events_enabled", "stdout_syslog",
            "stderr_logfile", "stderr_logfile_maxbytes", "stderr_logfile_backups", "stderr_capture_maxbytes",
            "stderr_events_enabled", "stderr_syslog");
    private static final Set<String> SUPERVISORD = Set.of(
            "logfile", "logfile_maxbytes", "logfile_backups", "loglevel", "pidfile", "umask", "nodaemon", "silent",
            "minfds", "minprocs", "nocleanup", "childlogdir", "user", "directory", "strip_ansi", "environment",
            "identifier");
    private static final Set<String> UNIX_HTTP_SERVER = Set.of("file", "chmod", "chown", "username", "password");
    private static final Set<String> SUPERVISORCTL = Set.of("serverurl", "username", "password", "prompt",
            "history_file");
    private static final Set<String> INCLUDE = Set.of("files");
    private static final Set<String> RPCINTERFACE = Set.of("supervisor.rpcinterface_factory");

    /**
     * Throws when {@code text} has a key its section does not know, or a section kind the node
     * never writes; names the template and line.
     */
    static void check(String templateName, String text) {
        String section = null;
        Set<String> allowed = Set.of();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith(";") || trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
                section = trimmed.substring(1, trimmed.length() - 1);
                allowed = keysOf(section);
                if (allowed == null) {
                    throw new SupervisorException(templateName + " line " + lineNo + ": section [" + section
                            + "] is not one the node generates");
                }
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (section == null || eq <= 0) {
                throw new SupervisorException(templateName + " line " + lineNo + ": not a 'key=value' line: "
                        + trimmed);
            }
            String key = trimmed.substring(0, eq).strip();
            if (!allowed.contains(key)) {
                throw new SupervisorException(templateName + " line " + lineNo + ": supervisord does not know key '"
                        + key + "' in section [" + section + "]");
            }
        }
    }

    private static Set<String> keysOf(String section) {
        if (section.startsWith("program:")) {
            return PROGRAM;
        }
        if (section.startsWith("rpcinterface:")) {
            return RPCINTERFACE;
        }
        return switch (section) {
            case "supervisord" -> SUPERVISORD;
            case "unix_http_server" -> UNIX_HTTP_SERVER;
            case "supervisorctl" -> SUPERVISORCTL;
            case "include" -> INCLUDE;
            default -> null;
        };
    }
}
