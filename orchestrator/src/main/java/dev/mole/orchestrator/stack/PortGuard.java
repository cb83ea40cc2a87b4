package dev.mole.orchestrator.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks a port before a component binds it, so a clash reads as a sentence rather than a bind stack trace. */
public final class PortGuard {
    private PortGuard() {}

    public static void requireFree(String bindAddress, int port, String component, String setting) {
        if (port == 0) {
            return; // the OS picks a free one
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), port));
        } catch (IOException e) {
            throw new StackStartException("Port " + port + " on " + bindAddress + " is already in use, so the "
                    + component + " cannot start. Is another `mole up` running? Stop it with `./mole down`, or choose "
                    + "another port with " + setting + ".");
        }
    }

    static int freePort(String bindAddress) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(bindAddress))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new StackStartException("no free port on " + bindAddress, e);
        }
    }
}
