package dev.storymagic.benchmarks;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The clients of {@link OpenAiClientBenchmark}, measured interleaved rather than one after the
 * other: each round calls every client once, in a shuffled order, against the same stub, so on a
 * shared machine whose load moves from second to second every client sees the same load. Prints,
 * per shape and client, p50 and p99 latency and the bytes allocated per call on the calling thread
 * (the client's own allocation: the stub's threads are not counted, unlike JMH's {@code -prof gc},
 * which counts the whole JVM), with ratios to the floor.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.storymagic.benchmarks.InterleavedClientTable [warmup rounds] [rounds]
 * }</pre>
 */
public final class InterleavedClientTable {
  private InterleavedClientTable() {}

  public static void main(String[] args) {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    System.out.println(
        "| call | client | p50 µs | p99 µs | alloc KB/call | p50 ÷ floor | p99 ÷ floor | alloc ÷ floor |");
    System.out.println("|---|---|--:|--:|--:|--:|--:|--:|");
    for (OpenAiClientBenchmark.Shape shape : OpenAiClientBenchmark.Shape.values()) {
      OpenAiUpstream upstream = new OpenAiUpstream(0, OpenAiClientBenchmark.STREAM_EVENTS);
      OpenAiClientBenchmark.Client[] clients = OpenAiClientBenchmark.Client.values();
      List<OpenAiClientBenchmark> benches = new ArrayList<>();
      for (OpenAiClientBenchmark.Client client : clients) {
        OpenAiClientBenchmark b = new OpenAiClientBenchmark();
        b.client = client;
        b.shape = shape;
        b.setUp(upstream);
        benches.add(b);
      }
      long[][] nanos = new long[clients.length][rounds];
      long[] allocated = new long[clients.length];
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < clients.length; i++) {
        order.add(i);
      }
      Random random = new Random(16);
      for (int round = -warmup; round < rounds; round++) {
        Collections.shuffle(order, random);
        for (int i : order) {
          long bytes = threads.getThreadAllocatedBytes(self);
          long start = System.nanoTime();
          benches.get(i).call();
          long elapsed = System.nanoTime() - start;
          if (round >= 0) {
            nanos[i][round] = elapsed;
            allocated[i] += threads.getThreadAllocatedBytes(self) - bytes;
          }
        }
      }
      benches.forEach(OpenAiClientBenchmark::closeClient);
      upstream.close();
      double[] p50 = new double[clients.length];
      double[] p99 = new double[clients.length];
      double[] alloc = new double[clients.length];
      for (int i = 0; i < clients.length; i++) {
        Arrays.sort(nanos[i]);
        p50[i] = nanos[i][rounds / 2] / 1000.0;
        p99[i] = nanos[i][(int) (rounds * 0.99)] / 1000.0;
        alloc[i] = allocated[i] / (double) rounds / 1024.0;
      }
      for (int i = 0; i < clients.length; i++) {
        System.out.printf(
            Locale.ROOT,
            "| %s | %s | %,.0f | %,.0f | %,.1f | %.2f× | %.2f× | %.2f× |%n",
            shape,
            clients[i],
            p50[i],
            p99[i],
            alloc[i],
            p50[i] / p50[0],
            p99[i] / p99[0],
            alloc[i] / alloc[0]);
      }
    }
  }
}
