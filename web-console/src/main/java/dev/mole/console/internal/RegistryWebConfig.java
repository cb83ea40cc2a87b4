package dev.mole.console.internal;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts {@link RegistryAuth} in front of the registry API. */
@Configuration(proxyBeanMethods = false)
public class RegistryWebConfig implements WebMvcConfigurer {
    private final RegistryAuth auth;

    public RegistryWebConfig(RegistryAuth auth) {
        this.auth = auth;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(auth).addPathPatterns("/api/v1/**");
    }
}
