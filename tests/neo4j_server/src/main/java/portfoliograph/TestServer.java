package portfoliograph;

import java.io.IOException;
import java.nio.file.Path;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.configuration.ssl.ClientAuth;
import org.neo4j.configuration.ssl.SslPolicyConfig;
import org.neo4j.configuration.ssl.SslPolicyScope;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Starts an in-process Neo4j with Bolt on 127.0.0.1:PORT, prints one READY line, and runs until
 * its standard input closes. Tying its life to stdin means a killed test run cannot orphan it.
 *
 * <p>Usage: {@code TestServer PORT WORKDIR [--auth] [--tls DIR]}
 *
 * <ul>
 *   <li>{@code --auth}: authentication on. The only user is neo4j with the initial password
 *       "neo4j", which must be changed before anything else works (the test suite does that over
 *       Bolt with ALTER CURRENT USER). Failed-login lockout is off, so tests that try wrong
 *       passwords cannot lock out the ones that follow.
 *   <li>{@code --tls DIR}: Bolt accepts TLS connections only. DIR holds {@code private.key} and
 *       {@code public.crt} (PEM); clients are not asked for certificates.
 * </ul>
 */
public final class TestServer {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        Path workDir = Path.of(args[1]);
        boolean auth = false;
        Path tlsDir = null;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--auth" -> auth = true;
                case "--tls" -> tlsDir = Path.of(args[++i]).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(workDir)
                .withDisabledServer()
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port));
        if (auth) {
            builder = builder
                    .withConfig(GraphDatabaseSettings.auth_enabled, true)
                    .withConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0);
        }
        if (tlsDir != null) {
            SslPolicyConfig bolt = SslPolicyConfig.forScope(SslPolicyScope.BOLT);
            builder = builder
                    .withConfig(bolt.enabled, true)
                    .withConfig(bolt.base_directory, tlsDir)
                    .withConfig(bolt.private_key, tlsDir.resolve("private.key"))
                    .withConfig(bolt.public_certificate, tlsDir.resolve("public.crt"))
                    .withConfig(bolt.client_auth, ClientAuth.NONE)
                    .withConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.REQUIRED);
        }
        Neo4j neo4j = builder.build();
        Runtime.getRuntime().addShutdownHook(new Thread(neo4j::close));
        System.out.println("READY " + neo4j.boltURI());
        System.out.flush();
        while (System.in.read() != -1) {
            // Drain until the parent closes the pipe.
        }
        neo4j.close();
        System.exit(0);
    }
}
