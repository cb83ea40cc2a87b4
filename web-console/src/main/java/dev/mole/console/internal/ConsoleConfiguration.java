package dev.mole.console.internal;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The console's Spring context: web MVC and Jackson from Boot, the controllers listed here (no classpath scanning), and
 * the platform's objects registered by {@link dev.mole.console.ConsoleServer}. The platform owns the database and its
 * schema, so Boot must not build a DataSource, run Flyway or start JPA even though those jars are on the classpath.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration(excludeName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration",
        "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
        "org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration",
        "org.springframework.boot.autoconfigure.sql.init.SqlInitializationAutoConfiguration",
        "org.springframework.boot.autoconfigure.gson.GsonAutoConfiguration"})
@Import({CurationController.class, DatasetController.class, ApiErrorHandler.class, RunViews.class})
public class ConsoleConfiguration {}
