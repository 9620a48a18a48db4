/**
 * Implementation of the command-line tool: converters, exit codes. Not API: anything here may
 * change in any release.
 */
package dev.storymagic.cli.internal;
