/**
 * The {@code storymagic} command: {@link dev.storymagic.cli.StoryMagicCli} and its sub-commands
 * {@code generate}, {@code themes}, {@code check} and {@code serve}.
 */
package dev.storymagic.cli;
