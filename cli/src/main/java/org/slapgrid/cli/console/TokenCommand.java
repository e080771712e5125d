package org.slapgrid.cli.console;

import java.time.Instant;
import java.util.Map;
import org.slapgrid.cli.ExitCode;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.TokenInfo;
import org.slapgrid.slap.model.UserToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code slapos token list|create|revoke|login-link}: the master's credentials (tokens are shown once, at creation). */
@Command(name = TokenCommand.NAME, mixinStandardHelpOptions = true,
        description = TokenCommand.SUMMARY,
        subcommands = {TokenCommand.ListTokens.class, TokenCommand.Create.class, TokenCommand.Revoke.class,
                TokenCommand.LoginLinkCommand.class})
public final class TokenCommand extends GroupCommand {

    /** The verb: {@code Main.VERBS} names it by this constant too (javac copies it there: nothing loads). */
    public static final String NAME = "token";

    /** The first line of the description: {@code slapos --help} lists it (Main.VERBS, without loading this class). */
    public static final String SUMMARY =
            "List, create and revoke the master's API tokens and secrets.";

    /**
     * A secret made for the user: {@code json} with --json, else {@code secret} alone on stdout
     * (for a script to take) and {@code note} about it on stderr.
     */
    static int printSecret(ClientCommand cmd, Object json, String secret, String note) throws Exception {
        if (cmd.json()) {
            cmd.printJson(json);
            return ExitCode.OK;
        }
        cmd.out().println(secret);
        cmd.err().println(note);
        cmd.out().flush();
        cmd.err().flush();
        return ExitCode.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List credentials by id (never the token): all for the admin, your own API tokens otherwise.")
    public static final class ListTokens extends ClientCommand {
        @Option(names = "--kind", paramLabel = "KIND", description = "only user, node or instance credentials")
        String kind;

        @Override
        int run(SlapClient client) throws Exception {
            return listed(client.tokens(kind), new Table("ID", "KIND", "SUBJECT", "ADMIN", "CREATED"), (TokenInfo i) ->
                    new Object[] {i.id(), i.kind(), i.subject(), i.admin() ? "yes" : "no", Instant.ofEpochMilli(i.createdAt())});
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an API token for USER (admin only); it is printed once, keep it mode 0600.")
    public static final class Create extends ClientCommand {
        @Parameters(index = "0", paramLabel = "USER", description = "the user (created by its first token)")
        String user;

        @Option(names = "--admin", description = "an admin's token")
        boolean admin;

        @Override
        int run(SlapClient client) throws Exception {
            UserToken t = client.createUserToken(user, admin);
            return printSecret(this, Map.of("id", t.id(), "user", t.user(), "admin", t.admin(), "token", t.token()), t.token(),
                    "token " + t.id() + " for " + t.user() + (t.admin() ? " (admin)" : "") + ": shown once");
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke the credential ID (from `slapos token list`): it fails from the next call on.")
    public static final class Revoke extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "the token's id")
        String id;

        @Override
        int run(SlapClient client) throws Exception {
            client.revokeToken(id);
            return report(Map.of("revoked", id), "revoked " + id);
        }
    }

    @Command(name = "login-link", mixinStandardHelpOptions = true,
            description = {"Print a link that logs you in to the master's web UI: it works once, within 10 minutes.",
                    "The token is in the link's #fragment, which the browser never sends in a URL (no log holds it)."})
    public static final class LoginLinkCommand extends ClientCommand {
        @Override
        int run(SlapClient client) throws Exception {
            org.slapgrid.slap.model.LoginLink link = client.createLoginLink();
            return printSecret(this, Map.of("url", link.url(), "expiresAt", link.expiresAt()), link.url(),
                    "works once, until " + Instant.ofEpochMilli(link.expiresAt()));
        }
    }
}
