package dev.mole.registry.internal;

import jakarta.persistence.EntityManagerFactory;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The smallest Spring that Spring Data JPA needs: an entity manager factory over the platform's DataSource, a
 * transaction manager and the repositories, in a context of the registry's own. The orchestrator is no Spring app and
 * the console's Boot context must not pick up a second persistence unit, so neither sees this context; both reach the
 * registry through {@link dev.mole.registry.AdapterRegistry}. Hibernate never touches the schema (Flyway owns it).
 */
@Configuration(proxyBeanMethods = false)
@EnableJpaRepositories(basePackageClasses = JpaContext.class, considerNestedRepositories = true,
        entityManagerFactoryRef = "registryEntityManagerFactory", transactionManagerRef = "registryTransactionManager")
public class JpaContext {

    /** Starts the context over {@code dataSource}; the caller closes it (the DataSource stays open: it is the caller's). */
    public static AnnotationConfigApplicationContext start(DataSource dataSource) {
        AnnotationConfigApplicationContext ctx = new AnnotationConfigApplicationContext();
        ctx.registerBean("registryDataSource", DataSource.class, () -> dataSource, bd -> bd.setDestroyMethodName(""));
        ctx.register(JpaContext.class);
        ctx.refresh();
        return ctx;
    }

    @Bean
    LocalContainerEntityManagerFactoryBean registryEntityManagerFactory(DataSource registryDataSource) {
        LocalContainerEntityManagerFactoryBean f = new LocalContainerEntityManagerFactoryBean();
        f.setDataSource(registryDataSource);
        f.setPackagesToScan(JpaContext.class.getPackageName());
        f.setPersistenceUnitName("mole-registry");
        f.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
        f.setJpaPropertyMap(Map.of(
                "hibernate.hbm2ddl.auto", "none",
                "hibernate.boot.allow_jdbc_metadata_access", "false",
                "hibernate.dialect", "org.hibernate.dialect.PostgreSQLDialect",
                "hibernate.jdbc.time_zone", "UTC"));
        return f;
    }

    @Bean
    PlatformTransactionManager registryTransactionManager(EntityManagerFactory registryEntityManagerFactory) {
        return new JpaTransactionManager(registryEntityManagerFactory);
    }

    @Bean
    TransactionTemplate registryTransactions(PlatformTransactionManager registryTransactionManager) {
        return new TransactionTemplate(registryTransactionManager);
    }
}
