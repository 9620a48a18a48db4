/**
 * Spring Boot auto-configuration of StoryMagic from {@code storymagic.*} properties ({@link
 * dev.storymagic.spring.StoryMagicProperties}), with an Actuator health indicator.
 */
package dev.storymagic.spring;
