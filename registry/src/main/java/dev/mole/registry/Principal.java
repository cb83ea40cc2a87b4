package dev.mole.registry;

/** Who a valid bearer token belongs to, and the widest thing it may do. */
public record Principal(String name, TokenScope scope) {
    public boolean may(TokenScope needed) {
        return scope.includes(needed);
    }
}
