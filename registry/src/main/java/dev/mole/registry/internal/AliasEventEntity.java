package dev.mole.registry.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "registry_alias_events")
public class AliasEventEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    @Column(name = "model_name", nullable = false, updatable = false)
    String modelName;
    @Column(nullable = false, updatable = false)
    String alias;
    @Column(name = "from_version", updatable = false)
    Integer fromVersion;
    @Column(name = "to_version", nullable = false, updatable = false)
    int toVersion;
    @Column(nullable = false, updatable = false)
    String actor;
    @Column(nullable = false, updatable = false)
    Instant at;

    protected AliasEventEntity() {}

    AliasEventEntity(String modelName, String alias, Integer fromVersion, int toVersion, String actor, Instant at) {
        this.modelName = modelName;
        this.alias = alias;
        this.fromVersion = fromVersion;
        this.toVersion = toVersion;
        this.actor = actor;
        this.at = at;
    }
}
