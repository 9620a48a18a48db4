/** Implementation of the Spring Boot starter. Not API: anything here may change in any release. */
package dev.storymagic.spring.internal;
