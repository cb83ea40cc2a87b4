package dev.mole.registry.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

@Entity
@Table(name = "registry_metrics")
@IdClass(MetricEntity.Key.class)
public class MetricEntity {
    @Id
    @Column(name = "version_id")
    Long versionId;
    @Id
    String metric;
    @Column(nullable = false)
    double value;
    @Column(name = "evaluation_id", nullable = false)
    String evaluationId;

    protected MetricEntity() {}

    MetricEntity(Long versionId, String metric, double value, String evaluationId) {
        this.versionId = versionId;
        this.metric = metric;
        this.value = value;
        this.evaluationId = evaluationId;
    }

    public record Key(Long versionId, String metric) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
