package dev.mole.ops;

import dev.mole.contracts.config.PlatformSettings;
import dev.mole.contracts.config.Setting;
import java.util.Map;
import java.util.function.Function;

/**
 * Where a process serves {@code /health}, {@code /ready} and {@code /metrics}: the platform's bind address (loopback
 * unless {@code mole.bind-address} says otherwise) and {@link Setting#OPS_PORT} (default 0, any free port, which the
 * process prints at start). Clusters set a fixed port for their scrape config.
 */
public record OpsSettings(String bindAddress, int port) {
    public OpsSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("setting mole.ops.port must be a port number (0-65535), got " + port);
        }
    }

    public static OpsSettings from(PlatformSettings platform) {
        return from(platform, System.getenv(), System::getProperty);
    }

    static OpsSettings from(PlatformSettings platform, Map<String, String> env, Function<String, String> properties) {
        String v = Setting.OPS_PORT.read(env, properties).orElse(null);
        if (v == null) {
            return new OpsSettings(platform.bindAddress(), 0);
        }
        try {
            return new OpsSettings(platform.bindAddress(), Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting mole.ops.port must be a port number (0-65535), got '" + v + "'");
        }
    }
}
