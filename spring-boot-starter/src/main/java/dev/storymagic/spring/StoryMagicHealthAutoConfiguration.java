package dev.storymagic.spring;

import dev.storymagic.StoryMagic;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Adds {@link StoryMagicHealthIndicator} when Spring Boot Actuator is present; {@code
 * management.health.storymagic.enabled=false} turns it off.
 */
@AutoConfiguration(after = StoryMagicAutoConfiguration.class)
@ConditionalOnClass(
    name = {
      "org.springframework.boot.actuate.health.HealthIndicator",
      "org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator"
    })
public class StoryMagicHealthAutoConfiguration {

  @Bean
  @ConditionalOnBean(StoryMagic.class)
  @ConditionalOnMissingBean(name = "storyMagicHealthIndicator")
  @ConditionalOnEnabledHealthIndicator("storymagic")
  public StoryMagicHealthIndicator storyMagicHealthIndicator(StoryMagic magic) {
    return new StoryMagicHealthIndicator(magic);
  }
}
