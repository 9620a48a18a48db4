/**
 * Implementation of {@code storymagic-openai}: wire format, SSE reading, error mapping, HTTP
 * transport. Not API: anything here may change in any release.
 */
package dev.storymagic.openai.internal;
