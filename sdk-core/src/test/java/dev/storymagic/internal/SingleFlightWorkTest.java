package dev.storymagic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SingleFlightWorkTest {
  final SingleFlight<String> flight = new SingleFlight<>();

  @Test
  void aCallerArrivingWhileTheWorkRunsWaitsForItsResultInsteadOfRepeatingIt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<String> leader =
        CompletableFuture.supplyAsync(
            () ->
                flight.run(
                    "k",
                    () -> {
                      runs.incrementAndGet();
                      started.countDown();
                      await(release);
                      return "story";
                    },
                    Supplier::get));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(flight.running("k")).isTrue();

    CompletableFuture<String> follower =
        CompletableFuture.supplyAsync(
            () ->
                flight.run(
                    "k",
                    () -> {
                      runs.incrementAndGet();
                      return "another story";
                    },
                    wait -> {
                      waiting.countDown();
                      return wait.get();
                    }));
    assertThat(waiting.await(10, TimeUnit.SECONDS)).as("the second caller waits").isTrue();
    release.countDown();

    assertThat(leader.get(10, TimeUnit.SECONDS)).isEqualTo("story");
    assertThat(follower.get(10, TimeUnit.SECONDS)).isEqualTo("story");
    assertThat(runs).hasValue(1);
    assertThat(flight.running("k")).isFalse();
  }

  @Test
  void theLeadersFailureReachesEveryWaiterAndFreesTheKey() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    IllegalStateException failure = new IllegalStateException("model down");
    CompletableFuture<String> leader =
        CompletableFuture.supplyAsync(
            () ->
                flight.run(
                    "k",
                    () -> {
                      started.countDown();
                      await(release);
                      throw failure;
                    },
                    Supplier::get));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<String> follower =
        CompletableFuture.supplyAsync(
            () ->
                flight.run(
                    "k",
                    () -> "late",
                    wait -> {
                      waiting.countDown();
                      return wait.get();
                    }));
    assertThat(waiting.await(10, TimeUnit.SECONDS)).as("the second caller waits").isTrue();
    release.countDown();

    assertThatThrownBy(() -> leader.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCause(failure);
    assertThatThrownBy(() -> follower.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCause(failure);
    assertThat(flight.running("k")).isFalse();
    assertThat(flight.run("k", () -> "again", Supplier::get)).isEqualTo("again");
  }

  @Test
  void differentKeysDoNotWaitForEachOther() {
    String outer =
        flight.run("a", () -> flight.run("b", () -> "inner", Supplier::get), Supplier::get);
    assertThat(outer).isEqualTo("inner");
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not released in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
