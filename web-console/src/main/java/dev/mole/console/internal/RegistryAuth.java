package dev.mole.console.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.registry.AdapterRegistry;
import dev.mole.registry.Principal;
import dev.mole.registry.TokenScope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Bearer tokens on the registry API ({@code /api/v1/}): writes always need one (write scope; tokens need admin), reads
 * only when the console was started with {@code readsNeedToken}. A missing or unknown token is a 401 with
 * {@code WWW-Authenticate: Bearer}, a token of too small a scope a 403; both answer an {@link ApiError} saying which.
 * The OpenAPI document is public.
 */
public final class RegistryAuth implements HandlerInterceptor {
    public static final String PRINCIPAL = RegistryAuth.class.getName() + ".principal";
    private static final Principal ANONYMOUS = new Principal("anonymous", TokenScope.READ);

    private final AdapterRegistry registry;
    private final boolean readsNeedToken;
    private final ObjectMapper json;

    public RegistryAuth(AdapterRegistry registry, boolean readsNeedToken, ObjectMapper json) {
        this.registry = registry;
        this.readsNeedToken = readsNeedToken;
        this.json = json;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws IOException {
        String path = request.getRequestURI();
        if (path.startsWith("/api/v1/openapi")) return true;
        boolean read = request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
        TokenScope needed = path.startsWith("/api/v1/tokens") ? TokenScope.ADMIN : read ? TokenScope.READ : TokenScope.WRITE;
        String header = request.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            if (needed == TokenScope.READ && !readsNeedToken) {
                request.setAttribute(PRINCIPAL, ANONYMOUS);
                return true;
            }
            return deny(response, path, 401, (read ? "reading the registry" : "changing the registry")
                    + " needs a bearer token: send 'Authorization: Bearer <token>' (the admin token is in $MOLE_HOME/registry/admin-token)");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return deny(response, path, 401, "the Authorization header must be 'Bearer <token>'");
        }
        Optional<Principal> who = registry.authenticate(header.substring(7).trim());
        if (who.isEmpty()) {
            return deny(response, path, 401, "the bearer token is not valid (unknown or revoked)");
        }
        if (!who.get().may(needed)) {
            return deny(response, path, 403, "token '" + who.get().name() + "' has scope " + who.get().scope().name().toLowerCase()
                    + "; " + request.getMethod() + " " + path + " needs " + needed.name().toLowerCase());
        }
        request.setAttribute(PRINCIPAL, who.get());
        return true;
    }

    private boolean deny(HttpServletResponse response, String path, int status, String message) throws IOException {
        response.setStatus(status);
        if (status == 401) response.setHeader("WWW-Authenticate", "Bearer realm=\"mole-registry\"");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), new ApiError(message, status, path));
        return false;
    }

    static String actor(HttpServletRequest request) {
        Object p = request.getAttribute(PRINCIPAL);
        return p instanceof Principal principal ? principal.name() : "anonymous";
    }
}
