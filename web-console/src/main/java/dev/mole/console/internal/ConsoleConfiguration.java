package dev.mole.console.internal;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springdoc.core.configuration.SpringDocConfiguration;
import org.springdoc.core.configuration.SpringDocSpecPropertiesConfiguration;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springdoc.webmvc.core.configuration.MultipleOpenApiSupportConfiguration;
import org.springdoc.webmvc.core.configuration.SpringDocWebMvcConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.HttpEncodingAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The console's Spring context: the few Boot auto-configurations a JSON API with static pages needs, the controllers
 * listed here (no classpath scanning), and the platform's objects registered by {@link dev.mole.console.ConsoleServer}.
 *
 * <p>The auto-configurations are named rather than discovered: the platform owns the database and its schema, so Boot
 * must never build a DataSource, run Flyway or start JPA although those jars are on the classpath, and the classpath is
 * large (S3 server, Temporal, DuckDB), so evaluating Boot's full list would only cost start-up time.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({
        PropertyPlaceholderAutoConfiguration.class,
        ServletWebServerFactoryAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class,
        HttpEncodingAutoConfiguration.class,
        HttpMessageConvertersAutoConfiguration.class,
        JacksonAutoConfiguration.class,
        // Answers what happens before a controller (a malformed request line, a filter's failure) as JSON too.
        ErrorMvcAutoConfiguration.class,
        // the registry API's OpenAPI document (/api/v1/openapi.json); springdoc's own list would also probe Spring Data
        // web, HATEOAS and Kotlin support
        ConfigurationPropertiesAutoConfiguration.class,
        SpringDocConfiguration.class,
        SpringDocConfigProperties.class,
        SpringDocSpecPropertiesConfiguration.class,
        SpringDocWebMvcConfiguration.class,
        MultipleOpenApiSupportConfiguration.class})
@Import({CurationController.class, DatasetController.class, FinetuneController.class, EvaluationController.class, ExperimentController.class,
        ApiErrorHandler.class, RunViews.class, FinetuneViews.class, EvaluationViews.class, EvaluationSamples.class,
        RegistryController.class, RegistryWebConfig.class})
public class ConsoleConfiguration {}
