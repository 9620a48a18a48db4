/**
 * JMH benchmarks for generation latency, the cache tiers, the stores, the safety filters and the
 * OpenAI client, with the helpers that start local services and summarise results.
 */
package dev.storymagic.benchmarks;
