package dev.mole.registry.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

@Entity
@Table(name = "registry_aliases")
@IdClass(AliasEntity.Key.class)
public class AliasEntity {
    @Id
    @Column(name = "model_name")
    String modelName;
    @Id
    String alias;
    @Column(name = "version_id", nullable = false)
    Long versionId;
    @Column(name = "moved_by", nullable = false)
    String movedBy;
    @Column(name = "moved_at", nullable = false)
    Instant movedAt;

    protected AliasEntity() {}

    AliasEntity(String modelName, String alias, Long versionId, String movedBy, Instant movedAt) {
        this.modelName = modelName;
        this.alias = alias;
        this.versionId = versionId;
        this.movedBy = movedBy;
        this.movedAt = movedAt;
    }

    public record Key(String modelName, String alias) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
