package dev.mole.registry.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** What a version is (its content columns are not updatable: a database trigger refuses any change to them too). */
@Entity
@Table(name = "registry_versions")
public class VersionEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    @Column(name = "model_name", nullable = false, updatable = false)
    String modelName;
    @Column(nullable = false, updatable = false)
    int number;
    @Column(name = "manifest_sha256", nullable = false, updatable = false)
    String manifestSha256;
    @Column(nullable = false, updatable = false)
    String manifest;
    @Column(nullable = false, updatable = false)
    String method;
    @Column(nullable = false, updatable = false)
    String lineage;
    @Column(nullable = false)
    boolean deprecated;
    String deprecation;
    @Column(name = "created_by", nullable = false, updatable = false)
    String createdBy;
    @Column(name = "created_at", nullable = false, updatable = false)
    Instant createdAt;

    protected VersionEntity() {}

    VersionEntity(String modelName, int number, String manifestSha256, String manifest, String method, String lineage,
                  String createdBy, Instant createdAt) {
        this.modelName = modelName;
        this.number = number;
        this.manifestSha256 = manifestSha256;
        this.manifest = manifest;
        this.method = method;
        this.lineage = lineage;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }
}
