package dev.storymagic.spring;

import dev.storymagic.AgeGroup;
import dev.storymagic.ResilienceSettings;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.StoryMagic;
import dev.storymagic.openai.OpenAiConnection;
import dev.storymagic.openai.OpenAiModerationFilter;
import dev.storymagic.openai.OpenAiStoryModel;
import dev.storymagic.spi.CaffeineStoryCache;
import dev.storymagic.spi.InMemoryStoryStore;
import dev.storymagic.spi.OfflineStoryModel;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.StoryCache;
import dev.storymagic.spi.StoryModel;
import dev.storymagic.spi.StoryStore;
import dev.storymagic.spring.internal.RedisPluginSharedRedis;
import dev.storymagic.spring.internal.SharedRedis;
import dev.storymagic.store.PostgresConfig;
import dev.storymagic.store.PostgresStoryStore;
import dev.storymagic.store.RateLimit;
import dev.storymagic.store.RedisConfig;
import dev.storymagic.store.RedisPlugin;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.OptionalDouble;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Configures one {@link StoryMagic} for the application from {@link StoryMagicProperties}. Every
 * bean backs off when the application defines its own of the same type, so an application can
 * replace the model, the cache, the store, the safety policy or the whole {@code StoryMagic}.
 * Application {@link SafetyFilter} beans run after the built-in local classifier, in their order.
 *
 * <p>Beans are closed when the context closes: {@code StoryMagic} first (it lets in-flight
 * generations finish within the attempt timeout), then the model, the moderation filter, Redis and
 * the store it depends on. Metrics go to the application's {@link MeterRegistry} when there is one.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnClass(StoryMagic.class)
@ConditionalOnProperty(
    prefix = "storymagic",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(StoryMagicProperties.class)
public class StoryMagicAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public StoryModel storyMagicModel(StoryMagicProperties properties) {
    StoryMagicProperties.Model m = properties.model();
    if (m.provider() == StoryMagicProperties.Provider.OPENAI) {
      OpenAiConnection.Builder connection =
          OpenAiConnection.custom()
              .baseUrl(m.baseUrl())
              .connectTimeout(m.connectTimeout())
              .readTimeout(m.readTimeout())
              .maxConcurrentRequests(m.maxConcurrentRequests());
      if (m.apiKey() != null && !m.apiKey().isBlank()) {
        connection.apiKey(m.apiKey());
      }
      return OpenAiStoryModel.builder()
          .connection(connection.build())
          .model(m.name())
          .callTimeout(m.callTimeout())
          .build();
    }
    return m.offlineStreamPace().isZero()
        ? OfflineStoryModel.create()
        : OfflineStoryModel.withStreamPace(m.offlineStreamPace());
  }

  /**
   * The remote moderation filter with the {@code openai} provider; shares the model's key and
   * connection pool (or, when the application brought its own model, uses the configured endpoint).
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnExpression(
      "'${storymagic.model.provider:offline}'.toLowerCase() == 'openai' "
          + "and '${storymagic.moderation.enabled:true}'.toLowerCase() == 'true'")
  public OpenAiModerationFilter storyMagicModeration(
      StoryModel model, StoryMagicProperties properties) {
    OpenAiModerationFilter.Builder builder =
        OpenAiModerationFilter.builder()
            .model(properties.moderation().model())
            .timeout(properties.moderation().timeout());
    if (model instanceof OpenAiStoryModel openAi) {
      builder.from(openAi);
    } else {
      builder.baseUrl(properties.model().baseUrl());
      if (properties.model().apiKey() != null && !properties.model().apiKey().isBlank()) {
        builder.apiKey(properties.model().apiKey());
      }
    }
    return builder.build();
  }

  @Bean
  @ConditionalOnMissingBean
  public SafetyPolicy storyMagicSafetyPolicy(StoryMagicProperties properties) {
    StoryMagicProperties.Safety safety = properties.safety();
    if (!safety.customised()) {
      return SafetyPolicy.defaults();
    }
    SafetyPolicy.Builder policy = SafetyPolicy.builder();
    if (safety.policyVersion() != null) {
      policy.version(safety.policyVersion());
    }
    if (safety.maxOutputAttempts() != null) {
      policy.maxOutputAttempts(safety.maxOutputAttempts());
    }
    for (Map.Entry<AgeGroup, Map<SafetyCategory, String>> age : safety.thresholds().entrySet()) {
      for (Map.Entry<SafetyCategory, String> category : age.getValue().entrySet()) {
        OptionalDouble probability = StoryMagicProperties.Safety.probability(category.getValue());
        if (probability.isPresent()) {
          policy.threshold(age.getKey(), category.getKey(), probability.getAsDouble());
        } else {
          policy.allow(age.getKey(), category.getKey());
        }
      }
    }
    return policy.build();
  }

  /** The in-process cache, in front of Redis when Redis is configured. */
  @Bean
  @ConditionalOnMissingBean
  public StoryCache storyMagicCache(
      StoryMagicProperties properties, ObjectProvider<SharedRedis> redis) {
    CaffeineStoryCache l1 =
        CaffeineStoryCache.create(properties.cache().maximumSize(), properties.cache().ttl());
    SharedRedis shared = redis.getIfAvailable();
    return shared == null ? l1 : StoryCache.tiered(l1, shared.cache());
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "storymagic.store", name = "type", havingValue = "memory")
  public StoryStore storyMagicMemoryStore(StoryMagicProperties properties) {
    return InMemoryStoryStore.create(properties.store().memoryCapacity());
  }

  @Bean
  @ConditionalOnMissingBean
  public StoryMagic storyMagic(
      StoryMagicProperties properties,
      StoryModel model,
      StoryCache cache,
      SafetyPolicy safetyPolicy,
      ObjectProvider<StoryStore> store,
      ObjectProvider<SafetyFilter> filters,
      ObjectProvider<MeterRegistry> meterRegistry,
      ObjectProvider<SharedRedis> redis) {
    StoryMagicProperties.Generation g = properties.generation();
    StoryMagic.Builder builder =
        StoryMagic.builder()
            .model(model)
            .cache(cache)
            .safetyPolicy(safetyPolicy)
            .qualityPolicy(g.qualityPolicy())
            .maxInFlight(g.maxInFlight())
            .auditBlockedText(properties.store().auditText())
            .resilience(
                ResilienceSettings.builder()
                    .attemptTimeout(g.attemptTimeout())
                    .maxAttempts(g.maxAttempts())
                    .maxConcurrentCalls(g.maxConcurrentCalls())
                    .build());
    StoryStore chosen = store.getIfAvailable();
    if (chosen != null) {
      builder.store(chosen);
    } else if (properties.store().type() == StoryMagicProperties.StoreType.POSTGRES) {
      throw new IllegalStateException(
          "storymagic.store.type=postgres needs storymagic-store on the class path "
              + "and a DataSource bean (spring.datasource.url, or the application's own)");
    }
    // After the built-in local classifier: the moderation filter and the application's own filters.
    filters.orderedStream().forEach(builder::moderation);
    meterRegistry.ifAvailable(builder::meterRegistry);
    SharedRedis shared = redis.getIfAvailable();
    if (shared != null) {
      builder.generationLock(shared.generationLock());
      shared.rateLimiter().ifPresent(builder::rateLimiter);
    }
    return builder.build();
  }

  /** PostgreSQL through the application's {@code DataSource}. */
  @Configuration(proxyBeanMethods = false)
  // storymagic-store's PostgreSQL libraries are optional: an application adds them to use this
  // store.
  @ConditionalOnClass(
      value = PostgresStoryStore.class,
      name = {"org.jdbi.v3.core.Jdbi", "org.flywaydb.core.Flyway"})
  @ConditionalOnBean(DataSource.class)
  @ConditionalOnExpression(
      "'${storymagic.store.type:auto}'.toLowerCase() == 'auto' "
          + "or '${storymagic.store.type:auto}'.toLowerCase() == 'postgres'")
  static class PostgresStoreConfiguration {

    @Bean
    @ConditionalOnMissingBean(StoryStore.class)
    PostgresStoryStore storyMagicPostgresStore(
        DataSource dataSource, StoryMagicProperties properties) {
      StoryMagicProperties.Store s = properties.store();
      return PostgresStoryStore.create(
          dataSource,
          PostgresConfig.builder()
              .schema(s.schema())
              .migrate(s.migrate())
              .statementTimeout(s.statementTimeout())
              .auditText(s.auditText())
              .build());
    }
  }

  /** Redis, when {@code storymagic.redis.host} is set. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(value = RedisPlugin.class, name = "redis.clients.jedis.UnifiedJedis")
  @ConditionalOnProperty(prefix = "storymagic.redis", name = "host")
  static class RedisConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SharedRedis storyMagicRedis(StoryMagicProperties properties) {
      StoryMagicProperties.Redis r = properties.redis();
      RedisConfig.Builder config =
          RedisConfig.builder()
              .host(r.host())
              .port(r.port())
              .tls(r.tls())
              .keyPrefix(r.keyPrefix())
              .timeout(r.timeout())
              .ttl(r.ttl())
              .maxConnections(r.maxConnections());
      if (r.user() != null) {
        config.user(r.user());
      }
      if (r.password() != null) {
        config.password(r.password());
      }
      if (r.rateLimitPerMinute() > 0) {
        config.rateLimit(RateLimit.perMinute(r.rateLimitPerMinute(), r.rateLimitPerMinute()));
      }
      return new RedisPluginSharedRedis(RedisPlugin.create(config.build()));
    }
  }
}
