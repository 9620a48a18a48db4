/**
 * Implementation of the reference server: routes, JSON, authentication, health, metrics export. Not
 * API: anything here may change in any release.
 */
package dev.storymagic.server.internal;
