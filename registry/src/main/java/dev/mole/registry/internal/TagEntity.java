package dev.mole.registry.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

@Entity
@Table(name = "registry_tags")
@IdClass(TagEntity.Key.class)
public class TagEntity {
    @Id
    @Column(name = "version_id")
    Long versionId;
    @Id
    String key;
    @Column(nullable = false)
    String value;

    protected TagEntity() {}

    TagEntity(Long versionId, String key, String value) {
        this.versionId = versionId;
        this.key = key;
        this.value = value;
    }

    public record Key(Long versionId, String key) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
