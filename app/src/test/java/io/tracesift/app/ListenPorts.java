package io.tracesift.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the processes a test starts to listen on. A port from {@code new ServerSocket(0)} is free only until it
 * is closed: the kernel may give it to the next bind to port 0 (a local broker started meanwhile took a demo's HTTP
 * port in one CI run). These come from below the kernel's ephemeral range, which binds to port 0 and outgoing
 * connections never use, and are checked free when chosen.
 */
public final class ListenPorts {
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int LOWEST = 10_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private ListenPorts() {}

    /** A port free now on 127.0.0.1, outside the ephemeral range, not handed out before in this JVM. */
    public static synchronized int free() throws IOException {
        int below = ephemeralStart();
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                HANDED_OUT.add(port);
                return socket.getLocalPort();
            } catch (IOException inUse) {
                // taken by something else: try another
            }
        }
        throw new IOException("no free port between " + LOWEST + " and " + below + " after 1,000 tries");
    }

    private static int ephemeralStart() throws IOException {
        if (Files.isReadable(EPHEMERAL_RANGE)) {
            int start = Integer.parseInt(Files.readString(EPHEMERAL_RANGE).trim().split("\\s+")[0]);
            if (start > LOWEST + 1_000) {
                return start;
            }
        }
        return 32_768; // Linux's default start
    }
}
