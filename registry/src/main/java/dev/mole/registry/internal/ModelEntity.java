package dev.mole.registry.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "registry_models")
public class ModelEntity {
    @Id
    String name;
    @Column(name = "base_sha256", nullable = false, updatable = false)
    String baseSha256;
    @Column(name = "base_location", nullable = false, updatable = false)
    String baseLocation;
    @Column(nullable = false)
    String description;
    @Column(name = "created_by", nullable = false, updatable = false)
    String createdBy;
    @Column(name = "created_at", nullable = false, updatable = false)
    Instant createdAt;

    protected ModelEntity() {}

    ModelEntity(String name, String baseSha256, String baseLocation, String description, String createdBy, Instant createdAt) {
        this.name = name;
        this.baseSha256 = baseSha256;
        this.baseLocation = baseLocation;
        this.description = description;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }
}
