/**
 * A sample Spring Boot web application that streams stories over server-sent events.
 */
package dev.storymagic.sample;
