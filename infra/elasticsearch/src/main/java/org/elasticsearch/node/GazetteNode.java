package org.elasticsearch.node;

import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.MockPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;

import java.util.Collection;
import java.util.List;

/**
 * A stock {@link Node} whose plugins are classes on the classpath instead of plugin folders.
 *
 * <p>This is what the test framework's {@code MockNode} does, minus its test hooks: MockNode's
 * public constructors initialise {@code ESTestCase}, which runs the bootstrap's native checks and
 * refuses to run as root. NodeConstruction and NodeServiceProvider are package-private, hence
 * this package. No service is swapped for a mock: only the plugin loading differs.
 */
public final class GazetteNode extends Node {

    public GazetteNode(Environment environment, Collection<Class<? extends Plugin>> classpathPlugins) {
        super(NodeConstruction.prepareConstruction(environment, null, new NodeServiceProvider() {
            @Override
            PluginsService newPluginService(Environment env, PluginsLoader ignored) {
                return new MockPluginsService(env.settings(), env, List.copyOf(classpathPlugins));
            }
        }, false));
    }
}
