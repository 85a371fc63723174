package portfoliograph;

import java.io.IOException;
import java.nio.file.Path;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Starts an in-process Neo4j with Bolt on 127.0.0.1:PORT, prints one READY line, and runs until
 * its standard input closes. Tying its life to stdin means a killed test run cannot orphan it.
 */
public final class TestServer {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        Path workDir = Path.of(args[1]);
        Neo4j neo4j = Neo4jBuilders.newInProcessBuilder(workDir)
                .withDisabledServer()
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .build();
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
