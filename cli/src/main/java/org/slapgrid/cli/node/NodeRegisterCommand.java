package org.slapgrid.cli.node;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.slapgrid.cli.ExitCode;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.slap.SlapClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code slapos node register}: declares this node to the master and writes its configuration. */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = {"Register this node at the master and write its configuration.",
                "Register this machine as a node at the master and write its configuration (slapos.cfg)",
                "and its secret (mode 0600). Needs the admin's API token, or that of a user the admin allowed",
                "(slapos user set USER --may-register-nodes), in $SLAPOS_TOKEN or --token-file.",
                "Then run `slapos node format`."})
final class NodeRegisterCommand implements Callable<Integer> {

    @Mixin
    NodeConfigOption configOption;

    @Option(names = "--master", required = true, paramLabel = "URL", description = "The master's URL, e.g. http://127.0.0.1:5080")
    String masterUrl;

    @Option(names = "--node-id", required = true, paramLabel = "ID", description = "This node's id at the master.")
    String nodeId;

    @Option(names = "--token-file", paramLabel = "FILE", description = "A file holding a user API token (default: $SLAPOS_TOKEN).")
    Path tokenFile;

    @Option(names = "--partitions", defaultValue = "10", description = "How many partitions (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--instance-root", paramLabel = "DIR", description = "Where partitions live (default from the layout).")
    Path instanceRoot;

    @Option(names = "--software-root", paramLabel = "DIR", description = "Where releases are built (default from the layout).")
    Path softwareRoot;

    @Option(names = "--ipv4-network", paramLabel = "CIDR", description = "The loopback network partitions take their"
            + " addresses from (default 127.1.0.0/16); give each node on one machine its own.")
    String ipv4Network;

    @Option(names = "--user-base-name", paramLabel = "PREFIX", description = "The partition users' name prefix"
            + " (SlapOS's user_base_name; default slapuser: partition N runs as slapuserN); give each node on one machine its own.")
    String userBaseName;

    @Option(names = "--force", description = "Overwrite an existing configuration.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        Path config = configOption.file().toAbsolutePath();
        if (Files.exists(config) && !force) {
            System.err.println("slapos node register: " + config + " exists already; use --force to replace it");
            return ExitCode.USAGE;
        }
        String token = tokenFile != null ? Files.readString(tokenFile).strip() : System.getenv("SLAPOS_TOKEN");
        if (token == null || token.isBlank()) {
            System.err.println("slapos node register: no API token: set SLAPOS_TOKEN or give --token-file");
            return ExitCode.USAGE;
        }
        if (!nodeId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            System.err.println("slapos node register: --node-id: letters, digits, '.', '_' or '-' (at most 64), got '" + nodeId + "'");
            return ExitCode.USAGE;
        }
        if (userBaseName != null && !userBaseName.matches(org.slapgrid.node.config.NodeConfigLoader.USER_BASE_NAME)) {
            System.err.println("slapos node register: --user-base-name: 1 to 16 lower-case letters or digits, starting with a letter, got '"
                    + userBaseName + "'");
            return ExitCode.USAGE;
        }
        SlapClient user = SlapClient.builder(URI.create(masterUrl)).token(token).timeout(Duration.ofSeconds(30)).build();
        String secret;
        try {
            secret = user.registerNode(nodeId, java.util.List.of()).secret();
        } catch (RuntimeException e) {
            System.err.println("slapos node register: the master refused or could not be reached: " + e.getMessage());
            return ExitCode.FAILURE;
        }
        Path secretFile = config.getParent().resolve("node.secret");
        AtomicFiles.write(secretFile, secret + "\n", "rw-------");
        StringBuilder cfg = new StringBuilder("[slapos]\n")
                .append("master_url = ").append(masterUrl).append('\n')
                .append("node_id = ").append(nodeId).append('\n')
                .append("credentials_file = ").append(secretFile).append('\n')
                .append("partition_amount = ").append(partitions).append('\n');
        if (instanceRoot != null) {
            cfg.append("instance_root = ").append(instanceRoot.toAbsolutePath()).append('\n');
        }
        if (ipv4Network != null) {
            cfg.append("ipv4_network = ").append(ipv4Network).append('\n');
        }
        if (userBaseName != null) {
            cfg.append("user_base_name = ").append(userBaseName).append('\n');
        }
        if (softwareRoot != null) {
            cfg.append("software_root = ").append(softwareRoot.toAbsolutePath()).append('\n');
        }
        AtomicFiles.write(config, cfg.toString(), "rw-r--r--");
        System.out.println("Registered node " + nodeId + " at " + masterUrl + ".");
        System.out.println("Configuration: " + config + " (secret in " + secretFile + ", mode 0600)");
        System.out.println("Next: slapos node format" + (configOption.config == null ? "" : " --config " + config));
        return ExitCode.OK;
    }
}
