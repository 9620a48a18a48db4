package dev.storymagic.spring;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.Severity;
import dev.storymagic.Story;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryMagicException;
import dev.storymagic.StoryRequest;
import dev.storymagic.openai.OpenAiConnection;
import dev.storymagic.openai.OpenAiModerationFilter;
import dev.storymagic.openai.OpenAiStoryModel;
import dev.storymagic.spi.CaffeineStoryCache;
import dev.storymagic.spi.InMemoryStoryStore;
import dev.storymagic.spi.OfflineStoryModel;
import dev.storymagic.spi.SafetyAssessment;
import dev.storymagic.spi.SafetyFilter;
import dev.storymagic.spi.SafetyStage;
import dev.storymagic.spi.StoryCache;
import dev.storymagic.spi.StoryModel;
import dev.storymagic.spi.StoryStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One context per condition of the auto-configuration, with {@link ApplicationContextRunner}. */
class StoryMagicAutoConfigurationTest {
  private static WireMockServer provider;

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  StoryMagicAutoConfiguration.class, StoryMagicHealthAutoConfiguration.class));

  @BeforeAll
  static void startProvider() {
    provider = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    provider.start();
  }

  @AfterAll
  static void stopProvider() {
    provider.stop();
  }

  static StoryRequest request() {
    return StoryRequest.builder()
        .theme("space")
        .ageGroup(AgeGroup.AGES_6_8)
        .character("Mia", "a curious girl")
        .length(StoryLength.SHORT)
        .build();
  }

  @Test
  void noPropertiesGiveTheOfflineEngineAndADefaultPipelineThatWritesAStory() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(StoryMagic.class);
          assertThat(context.getBean(StoryModel.class)).isInstanceOf(OfflineStoryModel.class);
          assertThat(context.getBean(StoryCache.class)).isInstanceOf(CaffeineStoryCache.class);
          assertThat(context.getBean(SafetyPolicy.class).version())
              .isEqualTo(SafetyPolicy.defaults().version());
          assertThat(context).doesNotHaveBean(StoryStore.class);
          assertThat(context).doesNotHaveBean(OpenAiModerationFilter.class);
          Story story = context.getBean(StoryMagic.class).generate(request());
          assertThat(story.title()).isNotBlank();
          assertThat(story.model()).startsWith("offline");
        });
  }

  @Test
  void openAiProviderBuildsTheModelAndItsModerationFilterFromProperties() {
    runner
        .withPropertyValues(
            "storymagic.model.provider=openai",
            "storymagic.model.api-key=sk-test-0123456789",
            "storymagic.model.base-url=" + provider.baseUrl() + "/v1",
            "storymagic.model.name=gpt-4.1-mini")
        .run(
            context -> {
              OpenAiStoryModel model = context.getBean(OpenAiStoryModel.class);
              assertThat(model.baseUrl()).isEqualTo(provider.baseUrl() + "/v1");
              assertThat(model.model()).isEqualTo("gpt-4.1-mini");
              assertThat(context).hasSingleBean(OpenAiModerationFilter.class);
            });
  }

  @Test
  void anUnsetSettingTakesTheSdksDefaultAndASetOneIsPassedOn() {
    runner
        .withPropertyValues(
            "storymagic.model.provider=openai",
            "storymagic.model.api-key=sk-test-0123456789",
            "storymagic.model.base-url=" + provider.baseUrl() + "/v1",
            "storymagic.model.read-timeout=7s")
        .run(
            context -> {
              OpenAiConnection connection = context.getBean(OpenAiStoryModel.class).connection();
              assertThat(connection.connectTimeout())
                  .isEqualTo(OpenAiConnection.DEFAULT_CONNECT_TIMEOUT);
              assertThat(connection.maxConcurrentRequests())
                  .isEqualTo(OpenAiConnection.DEFAULT_MAX_CONCURRENT_REQUESTS);
              assertThat(connection.readTimeout()).isEqualTo(Duration.ofSeconds(7));
              assertThat(context.getBean(OpenAiStoryModel.class).model())
                  .isEqualTo(OpenAiStoryModel.DEFAULT_MODEL);
            });
  }

  @Test
  void aSettingOutOfRangeFailsTheStartupNamingTheProperty() {
    runner
        .withPropertyValues("storymagic.generation.max-attempts=0")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("storymagic.generation.max-attempts must be at least 1"));
  }

  @Test
  void moderationCanBeTurnedOff() {
    runner
        .withPropertyValues(
            "storymagic.model.provider=openai",
            "storymagic.model.api-key=sk-test-0123456789",
            "storymagic.model.base-url=" + provider.baseUrl() + "/v1",
            "storymagic.moderation.enabled=false")
        .run(
            context -> {
              assertThat(context).hasSingleBean(OpenAiStoryModel.class);
              assertThat(context).doesNotHaveBean(OpenAiModerationFilter.class);
            });
  }

  @Test
  void theApplicationsOwnBeansWin() {
    runner
        .withUserConfiguration(OwnBeans.class)
        .run(
            context -> {
              assertThat(context.getBean(StoryModel.class)).isSameAs(OwnBeans.MODEL);
              assertThat(context.getBean(StoryStore.class)).isSameAs(OwnBeans.STORE);
              assertThat(context.getBean(StoryMagic.class).store()).contains(OwnBeans.STORE);
            });
    runner
        .withUserConfiguration(OwnStoryMagic.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(StoryMagic.class);
              assertThat(context.getBean(StoryMagic.class)).isSameAs(context.getBean("ownMagic"));
            });
  }

  @Test
  void applicationSafetyFiltersRunAfterTheLocalClassifier() {
    runner
        .withUserConfiguration(NoDragons.class)
        .run(
            context -> {
              StoryMagic magic = context.getBean(StoryMagic.class);
              StoryRequest dragons =
                  StoryRequest.builder()
                      .theme("space")
                      .ageGroup(AgeGroup.AGES_6_8)
                      .character("Mia", "a girl who rides dragons")
                      .build();
              assertThatThrownBy(() -> magic.generate(dragons))
                  .isInstanceOf(StoryMagicException.UnsafeInput.class);
              assertThat(magic.generate(request()).title()).isNotBlank();
            });
  }

  @Test
  void safetyPolicyFromProperties() {
    runner
        .withPropertyValues(
            "storymagic.safety.policy-version=app-2",
            "storymagic.safety.max-output-attempts=2",
            "storymagic.safety.thresholds.ages-9-12.violence=0.7",
            "storymagic.safety.thresholds.ages-9-12.frightening=never")
        .run(
            context -> {
              SafetyPolicy policy = context.getBean(SafetyPolicy.class);
              assertThat(policy.version()).isEqualTo("app-2");
              assertThat(policy.maxOutputAttempts()).isEqualTo(2);
              assertThat(policy.threshold(AgeGroup.AGES_9_12, SafetyCategory.VIOLENCE))
                  .hasValue(0.7);
              assertThat(policy.threshold(AgeGroup.AGES_9_12, SafetyCategory.FRIGHTENING))
                  .isEmpty();
              assertThat(policy.threshold(AgeGroup.AGES_3_5, SafetyCategory.VIOLENCE))
                  .isEqualTo(
                      SafetyPolicy.defaults()
                          .threshold(AgeGroup.AGES_3_5, SafetyCategory.VIOLENCE));
            });
  }

  @Test
  void aChangedPolicyWithoutAVersionFailsTheStartupNamingTheProperty() {
    runner
        .withPropertyValues("storymagic.safety.thresholds.ages-9-12.violence=0.7")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .hasMessageContaining("storymagic.safety.policy-version must be set");
            });
  }

  @Test
  void badValuesFailTheStartupNamingTheProperty() {
    runner
        .withPropertyValues(
            "storymagic.safety.policy-version=app-3",
            "storymagic.safety.thresholds.ages-3-5.violence=high")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining(
                        "storymagic.safety.thresholds.ages-3-5.violence must be a probability"));
    runner
        .withPropertyValues("storymagic.cache.maximum-size=0")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("storymagic.cache.maximum-size"));
    runner
        .withPropertyValues("storymagic.model.call-timeout=0s")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("storymagic.model.call-timeout"));
  }

  @Test
  void memoryStoreOnRequest() {
    runner
        .withPropertyValues("storymagic.store.type=memory", "storymagic.store.memory-capacity=10")
        .run(
            context -> {
              assertThat(context.getBean(StoryStore.class)).isInstanceOf(InMemoryStoryStore.class);
              assertThat(context.getBean(StoryMagic.class).store()).isPresent();
            });
  }

  @Test
  void postgresWithoutADataSourceFailsTheStartupSayingWhatIsMissing() {
    runner
        .withPropertyValues("storymagic.store.type=postgres")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining(
                        "needs storymagic-store on the class path and a DataSource"));
  }

  @Test
  void withoutStorymagicStoreOnTheClassPathNothingOfItIsLoaded() {
    runner
        .withClassLoader(new FilteredClassLoader("dev.storymagic.store"))
        .withPropertyValues("storymagic.redis.host=127.0.0.1")
        .withUserConfiguration(DataSourceConfig.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(StoryStore.class);
              assertThat(context.getBean(StoryCache.class)).isInstanceOf(CaffeineStoryCache.class);
            });
  }

  @Test
  void metricsGoToTheApplicationsRegistry() {
    runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(
            context -> {
              context.getBean(StoryMagic.class).generate(request());
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(registry.find("story_generation_time").timer()).isNotNull();
              assertThat(registry.find("story_generation_time").timer().count()).isEqualTo(1);
            });
  }

  @Test
  void healthIsUpWithTheOfflineEngine() {
    runner.run(
        context -> {
          Health health = context.getBean(StoryMagicHealthIndicator.class).health();
          assertThat(health.getStatus()).isEqualTo(Status.UP);
          assertThat(health.getDetails()).containsKey("model");
        });
  }

  @Test
  void healthIsDegradedWhenOnlyTheModelProviderIsDown() {
    provider.stubFor(get(urlEqualTo("/v1/models")).willReturn(aResponse().withStatus(503)));
    runner
        .withPropertyValues(
            "storymagic.model.provider=openai",
            "storymagic.model.api-key=sk-test-0123456789",
            "storymagic.model.base-url=" + provider.baseUrl() + "/v1")
        .run(
            context -> {
              Health health = context.getBean(StoryMagicHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(StoryMagicHealthIndicator.DEGRADED);
              assertThat(health.getDetails().get("model").toString()).contains("down");
            });
  }

  @Test
  void healthIndicatorCanBeTurnedOffAndNeedsActuator() {
    runner
        .withPropertyValues("management.health.storymagic.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(StoryMagicHealthIndicator.class));
    runner
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
        .run(
            context -> {
              assertThat(context).hasSingleBean(StoryMagic.class);
              assertThat(context).doesNotHaveBean(StoryMagicHealthIndicator.class);
            });
  }

  @Test
  void disabledMeansNoBeans() {
    runner
        .withPropertyValues("storymagic.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .doesNotHaveBean(StoryMagic.class)
                    .doesNotHaveBean(StoryModel.class));
  }

  @Test
  void closingTheContextClosesStoryMagicAndTheModel() {
    StoryMagic[] magic = new StoryMagic[1];
    runner.run(context -> magic[0] = context.getBean(StoryMagic.class));
    assertThatThrownBy(() -> magic[0].generate(request()))
        .isInstanceOf(StoryMagicException.ModelUnavailable.class)
        .hasMessageContaining("shut down");

    OpenAiStoryModel[] model = new OpenAiStoryModel[1];
    runner
        .withPropertyValues(
            "storymagic.model.provider=openai",
            "storymagic.model.api-key=sk-test-0123456789",
            "storymagic.model.base-url=" + provider.baseUrl() + "/v1")
        .run(context -> model[0] = context.getBean(OpenAiStoryModel.class));
    assertThat(model[0].health().detail()).contains("closed");
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnBeans {
    static final StoryModel MODEL = OfflineStoryModel.create();
    static final StoryStore STORE = InMemoryStoryStore.create(5);

    @Bean
    StoryModel myModel() {
      return MODEL;
    }

    @Bean
    StoryStore myStore() {
      return STORE;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnStoryMagic {
    @Bean
    StoryMagic ownMagic() {
      return StoryMagic.builder().build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class NoDragons {
    @Bean
    SafetyFilter noDragons() {
      return new SafetyFilter() {
        @Override
        public SafetyAssessment assess(String text, SafetyStage stage) {
          boolean dragon = text.contains("dragon");
          return new SafetyAssessment(
              dragon
                  ? List.of(
                      SafetyFinding.of(
                          SafetyCategory.FRIGHTENING,
                          Severity.HIGH,
                          SafetyFinding.DECISIVE,
                          -1,
                          -1,
                          "no-dragons"))
                  : List.of());
        }

        @Override
        public String name() {
          return "no-dragons";
        }
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class DataSourceConfig {
    @Bean
    javax.sql.DataSource dataSource() {
      return new org.postgresql.ds.PGSimpleDataSource();
    }
  }
}
