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
import org.springframework.boot.context.properties.PropertyMapper;
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
  /**
   * Passes a setting to an SDK builder only when it is set: unset, the SDK's own default applies,
   * so the defaults are written once, in the SDK.
   */
  private static final PropertyMapper SET = PropertyMapper.get().alwaysApplyingWhenNonNull();

  @Bean
  @ConditionalOnMissingBean
  public StoryModel storyMagicModel(StoryMagicProperties properties) {
    StoryMagicProperties.Model m = properties.model();
    if (m.provider() == StoryMagicProperties.Provider.OPENAI) {
      OpenAiConnection.Builder connection = OpenAiConnection.custom();
      SET.from(m::baseUrl).to(connection::baseUrl);
      SET.from(m::apiKey).whenHasText().to(connection::apiKey);
      SET.from(m::connectTimeout).to(connection::connectTimeout);
      SET.from(m::readTimeout).to(connection::readTimeout);
      SET.from(m::maxConcurrentRequests).to(connection::maxConcurrentRequests);
      OpenAiStoryModel.Builder model = OpenAiStoryModel.builder().connection(connection.build());
      SET.from(m::name).to(model::model);
      SET.from(m::callTimeout).to(model::callTimeout);
      return model.build();
    }
    return m.offlineStreamPace() == null || m.offlineStreamPace().isZero()
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
    OpenAiModerationFilter.Builder builder = OpenAiModerationFilter.builder();
    StoryMagicProperties.Moderation moderation = properties.moderation();
    SET.from(moderation::model).to(builder::model);
    SET.from(moderation::timeout).to(builder::timeout);
    if (model instanceof OpenAiStoryModel openAi) {
      builder.from(openAi);
    } else {
      SET.from(properties.model()::baseUrl).to(builder::baseUrl);
      SET.from(properties.model()::apiKey).whenHasText().to(builder::apiKey);
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
    StoryMagicProperties.Cache c = properties.cache();
    CaffeineStoryCache l1 =
        c.ttl() == null
            ? CaffeineStoryCache.create(c.maximumSize())
            : CaffeineStoryCache.create(c.maximumSize(), c.ttl());
    SharedRedis shared = redis.getIfAvailable();
    return shared == null ? l1 : StoryCache.tiered(l1, shared.cache());
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "storymagic.store", name = "type", havingValue = "memory")
  public StoryStore storyMagicMemoryStore(StoryMagicProperties properties) {
    Integer capacity = properties.store().memoryCapacity();
    return capacity == null ? InMemoryStoryStore.create() : InMemoryStoryStore.create(capacity);
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
    ResilienceSettings.Builder resilience = ResilienceSettings.builder();
    SET.from(g::attemptTimeout).to(resilience::attemptTimeout);
    SET.from(g::maxAttempts).to(resilience::maxAttempts);
    SET.from(g::maxConcurrentCalls).to(resilience::maxConcurrentCalls);
    StoryMagic.Builder builder =
        StoryMagic.builder()
            .model(model)
            .cache(cache)
            .safetyPolicy(safetyPolicy)
            .auditBlockedText(properties.store().auditText())
            .resilience(resilience.build());
    SET.from(g::qualityPolicy).to(builder::qualityPolicy);
    SET.from(g::maxInFlight).to(builder::maxInFlight);
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
      PostgresConfig.Builder config = PostgresConfig.builder().auditText(s.auditText());
      SET.from(s::schema).to(config::schema);
      SET.from(s::migrate).to(config::migrate);
      SET.from(s::statementTimeout).to(config::statementTimeout);
      return PostgresStoryStore.create(dataSource, config.build());
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
      RedisConfig.Builder config = RedisConfig.builder().host(r.host());
      SET.from(r::port).to(config::port);
      SET.from(r::tls).to(config::tls);
      SET.from(r::user).to(config::user);
      SET.from(r::password).to(config::password);
      SET.from(r::keyPrefix).to(config::keyPrefix);
      SET.from(r::timeout).to(config::timeout);
      SET.from(r::ttl).to(config::ttl);
      SET.from(r::maxConnections).to(config::maxConnections);
      if (r.rateLimitPerMinute() > 0) {
        config.rateLimit(RateLimit.perMinute(r.rateLimitPerMinute(), r.rateLimitPerMinute()));
      }
      return new RedisPluginSharedRedis(RedisPlugin.create(config.build()));
    }
  }
}
