package dev.mole.registry.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

@Entity
@Table(name = "registry_components")
@IdClass(ComponentEntity.Key.class)
public class ComponentEntity {
    @Id
    @Column(name = "version_id")
    Long versionId;
    @Id
    String file;
    @Column(nullable = false, updatable = false)
    String kind;
    @Column(updatable = false)
    String language;
    @Column(updatable = false)
    String adapter;
    @Column(nullable = false, updatable = false)
    int rank;
    @Column(nullable = false, updatable = false)
    String sha256;
    @Column(nullable = false, updatable = false)
    long size;

    protected ComponentEntity() {}

    ComponentEntity(Long versionId, String file, String kind, String language, String adapter, int rank, String sha256, long size) {
        this.versionId = versionId;
        this.file = file;
        this.kind = kind;
        this.language = language;
        this.adapter = adapter;
        this.rank = rank;
        this.sha256 = sha256;
        this.size = size;
    }

    public record Key(Long versionId, String file) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
