package dev.mole.registry.internal;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** The registry's Spring Data repositories, one per table. */
final class Repositories {
    private Repositories() {}

    interface Models extends JpaRepository<ModelEntity, String> {
        /** Every change to a model's versions and aliases takes this row lock first: per model, they are serial. */
        @Lock(LockModeType.PESSIMISTIC_WRITE)
        @Query("select m from ModelEntity m where m.name = :name")
        Optional<ModelEntity> lock(@Param("name") String name);

        @Query("""
                select m from ModelEntity m where m.name > :after
                  and (:base is null or m.baseSha256 = :base)
                  and (:language is null or exists (select 1 from VersionEntity v, ComponentEntity c
                       where v.modelName = m.name and c.versionId = v.id and c.language = :language))
                  and (:metric is null or exists (select 1 from VersionEntity v, MetricEntity x
                       where v.modelName = m.name and x.versionId = v.id and x.metric = :metric and x.value >= :min))
                order by m.name""")
        List<ModelEntity> search(@Param("after") String after, @Param("base") String base, @Param("language") String language,
                                 @Param("metric") String metric, @Param("min") double min, Limit limit);
    }

    interface Versions extends JpaRepository<VersionEntity, Long> {
        Optional<VersionEntity> findByModelNameAndNumber(String modelName, int number);

        Optional<VersionEntity> findByModelNameAndManifestSha256(String modelName, String manifestSha256);

        List<VersionEntity> findByModelNameAndNumberGreaterThanOrderByNumber(String modelName, int after, Limit limit);

        @Query("select coalesce(max(v.number), 0) from VersionEntity v where v.modelName = :model")
        int latestNumber(@Param("model") String model);
    }

    interface Components extends JpaRepository<ComponentEntity, ComponentEntity.Key> {
        List<ComponentEntity> findByVersionIdOrderByFile(Long versionId);
    }

    interface Aliases extends JpaRepository<AliasEntity, AliasEntity.Key> {
        List<AliasEntity> findByModelNameOrderByAlias(String modelName);

        List<AliasEntity> findByVersionIdOrderByAlias(Long versionId);
    }

    interface AliasEvents extends JpaRepository<AliasEventEntity, Long> {
        List<AliasEventEntity> findByModelNameAndAliasOrderById(String modelName, String alias);
    }

    interface Tags extends JpaRepository<TagEntity, TagEntity.Key> {
        List<TagEntity> findByVersionIdOrderByKey(Long versionId);
    }

    interface Metrics extends JpaRepository<MetricEntity, MetricEntity.Key> {
        List<MetricEntity> findByVersionIdOrderByMetric(Long versionId);
    }

    interface Tokens extends JpaRepository<TokenEntity, Long> {
        Optional<TokenEntity> findByTokenHashAndRevokedAtIsNull(String tokenHash);

        boolean existsByName(String name);
    }
}
