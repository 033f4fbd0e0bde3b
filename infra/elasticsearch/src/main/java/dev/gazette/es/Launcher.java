package dev.gazette.es;

import org.apache.logging.log4j.LogManager;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.GazetteNode;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.transport.netty4.Netty4Plugin;
import org.elasticsearch.xpack.core.XPackPlugin;
import org.elasticsearch.xpack.kql.KqlPlugin;
import org.elasticsearch.xpack.versionfield.VersionFieldPlugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts one Elasticsearch node in the foreground and closes it on SIGTERM/SIGINT.
 *
 * <p>Environment: ES_PORT (HTTP, default 9200), ES_TRANSPORT_PORT (default 9300-9399),
 * GAZETTE_DATA_DIR (default: {@code .data} at the repository root; the node lives in its
 * {@code elasticsearch} sub-folder), ES_PATH_CONF (default: the {@code config} folder beside pom.xml),
 * ES_NODE_NAME (default gazette-1), ES_CLUSTER_NAME (default gazette); for a multi-node cluster
 * ES_SEED_HOSTS (the other nodes' transport addresses, comma-separated; unset: a single-node
 * cluster) and ES_INITIAL_MASTER_NODES (node names that elect the first master).
 */
public final class Launcher {

    /** Every Elasticsearch plugin/module of this version that Maven Central serves and that loads here, plus Gazette's analyzers. */
    static final List<Class<? extends Plugin>> PLUGINS = List.of(
        Netty4Plugin.class,
        XPackPlugin.class,
        KqlPlugin.class,
        VersionFieldPlugin.class,
        // Lucene's language analyzers under their Elasticsearch names (analysis-common is not on Maven Central).
        LanguageAnalysisPlugin.class
    );

    public static void main(String[] args) throws Exception {
        // infra/elasticsearch/target/gazette-elasticsearch.jar -> infra/elasticsearch
        Path moduleDir = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toAbsolutePath().getParent().getParent();
        Path repoRoot = moduleDir.getParent().getParent();

        Path dataRoot = Path.of(env("GAZETTE_DATA_DIR", repoRoot.resolve(".data").toString())).toAbsolutePath();
        Path home = dataRoot.resolve("elasticsearch");
        Path configDir = Path.of(env("ES_PATH_CONF", moduleDir.resolve("config").toString())).toAbsolutePath();
        String nodeName = env("ES_NODE_NAME", "gazette-1");
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));

        Settings.Builder builder = Settings.builder()
            .put("cluster.name", env("ES_CLUSTER_NAME", "gazette"))
            .put("node.name", nodeName)
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", env("ES_PORT", "9200"))
            .put("transport.port", env("ES_TRANSPORT_PORT", "9300-9399"))
            .put("xpack.security.enabled", false)
            // Disk watermarks stay on as in production (a nearly full disk blocks writes with flood-stage
            // read_only_allow_delete, which Gazette's indexer waits out); ES_DISK_THRESHOLDS=false turns them off.
            .put("cluster.routing.allocation.disk.threshold_enabled", diskThresholds());
        // A multi-node cluster (infra/elasticsearch/cluster.sh): discovery through the other nodes'
        // transport addresses on loopback, the first master elected among the named nodes.
        String seedHosts = env("ES_SEED_HOSTS", "");
        if (seedHosts.isEmpty()) {
            builder.put("discovery.type", "single-node");
        } else {
            builder.putList("discovery.seed_hosts", List.of(seedHosts.split(",")));
            builder.putList("cluster.initial_master_nodes", List.of(env("ES_INITIAL_MASTER_NODES", nodeName).split(",")));
        }
        Settings settings = builder.build();

        LogConfigurator.registerErrorListener();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), configDir, () -> nodeName);
        LogConfigurator.setClusterName(settings.get("cluster.name"));
        LogConfigurator.setNodeName(nodeName);
        LogConfigurator.configure(environment, true);

        Node node = new GazetteNode(environment, PLUGINS);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.prepareForClose();
                node.close();
                node.awaitClose(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LogManager.getLogger(Launcher.class).error("failed to close the node", e);
            } finally {
                closed.countDown();
            }
        }, "gazette-es-shutdown"));

        try {
            node.start();
        } catch (Exception e) {
            LogManager.getLogger(Launcher.class).error("failed to start the node", e);
            System.exit(1); // runs the shutdown hook, which closes what was opened
        }
        closed.await();
    }

    /** ES_DISK_THRESHOLDS: "true" (default) or "false". */
    private static boolean diskThresholds() {
        String value = env("ES_DISK_THRESHOLDS", "true").trim().toLowerCase(java.util.Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("ES_DISK_THRESHOLDS must be true or false, not " + value);
        }
        return Boolean.parseBoolean(value);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
