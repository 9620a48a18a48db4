/**
 * The StoryMagic reference server: {@link dev.storymagic.server.StoryMagicServer} runs the HTTP API
 * and the playground on Javalin, configured by {@link dev.storymagic.server.ServerConfig} (from the
 * environment in production).
 */
package dev.storymagic.server;
