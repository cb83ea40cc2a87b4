package dev.mole.console.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * On a loopback-bound console, answers only requests addressed to a loopback name. The console has no login yet; a web
 * page on another site could otherwise reach it through DNS rebinding (its own host name resolving to 127.0.0.1), and
 * that page's requests would carry its host name in the Host header.
 */
public class HostHeaderGuard extends OncePerRequestFilter {
    private final boolean loopbackOnly;

    public HostHeaderGuard(String bindAddress) {
        this.loopbackOnly = isLoopback(bindAddress);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (loopbackOnly && !isLoopbackName(request.getServerName())) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"this console answers only requests to localhost\",\"status\":403}");
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean isLoopbackName(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1")
                || h.matches("127(\\.\\d{1,3}){3}"); // a literal address only: "127.evil.example" is a name
    }

    private static boolean isLoopback(String bindAddress) {
        try {
            return InetAddress.getByName(bindAddress).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false; // Tomcat will refuse to bind it anyway and say why
        }
    }
}
