package dev.mole.registry.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "registry_tokens")
public class TokenEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    @Column(nullable = false, updatable = false)
    String name;
    @Column(name = "token_hash", nullable = false, updatable = false)
    String tokenHash;
    @Column(nullable = false, updatable = false)
    String scopes;
    @Column(name = "created_at", nullable = false, updatable = false)
    Instant createdAt;
    @Column(name = "revoked_at")
    Instant revokedAt;

    protected TokenEntity() {}

    TokenEntity(String name, String tokenHash, String scopes, Instant createdAt) {
        this.name = name;
        this.tokenHash = tokenHash;
        this.scopes = scopes;
        this.createdAt = createdAt;
    }
}
