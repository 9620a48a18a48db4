package dev.storymagic.openai.internal;

import dev.storymagic.StoryMagicException;
import dev.storymagic.openai.OpenAiConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One connection pool, one dispatcher and one concurrency limit, shared by a model, its variants
 * and the moderation filter built from it. Reference-counted: the pool and the dispatcher's threads
 * are released when the last user closes.
 *
 * <p>Every exchange holds a permit from the first byte sent until its response is closed, so at
 * most {@code maxConcurrentRequests} requests (streams included) are in flight; the dispatcher is
 * bounded the same way. Calls run with {@link Call#execute()} on the caller's thread, with no
 * hand-off to the dispatcher's threads; a caller that is interrupted (a time limit gave up on it)
 * has its HTTP call cancelled instead of holding a connection, whether it is waiting for the
 * response head or reading a stream: on a virtual thread at once (the JDK closes the socket it
 * blocks on), on a platform thread by {@link InterruptWatch} within a few milliseconds.
 */
public final class HttpTransport {
  private final OkHttpClient base;
  private final Semaphore permits;
  private final int maxConcurrentRequests;
  private final InterruptWatch watch;
  private final AtomicInteger users = new AtomicInteger(1);

  private HttpTransport(OkHttpClient base, int maxConcurrentRequests, InterruptWatch watch) {
    this.base = base;
    this.maxConcurrentRequests = maxConcurrentRequests;
    this.permits = new Semaphore(maxConcurrentRequests, true);
    this.watch = watch;
  }

  /**
   * The pool, dispatcher and request limit a {@code connection} asks for: at most {@code
   * maxConcurrentRequests} in flight, {@code maxIdleConnections} kept for {@code keepAlive}, no
   * redirects. HTTPS connections negotiate HTTP/2 through ALPN (falling back to HTTP/1.1), so
   * concurrent calls to one provider share a few multiplexed connections; cleartext connections
   * speak h2c with prior knowledge when the connection asks for it.
   */
  public static HttpTransport create(OpenAiConnection connection) {
    return create(connection, InterruptWatch.get());
  }

  static HttpTransport create(OpenAiConnection connection, InterruptWatch watch) {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(connection.maxConcurrentRequests());
    dispatcher.setMaxRequestsPerHost(connection.maxConcurrentRequests());
    OkHttpClient.Builder base =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectionPool(
                new ConnectionPool(
                    connection.maxIdleConnections(),
                    connection.keepAlive().toMillis(),
                    TimeUnit.MILLISECONDS))
            // One silent retry on a fresh connection, only when a pooled connection failed before
            // any response byte (a server that closed a keep-alive connection, as llama.cpp's does
            // after a stream): the request cannot have been processed. Every other retry stays the
            // pipeline's decision, counted by its circuit breaker.
            .retryOnConnectionFailure(true)
            // A new connection is opened by the calling thread, one address after another in the
            // resolver's order (IPv4 first, the JDK's default), instead of OkHttp's task threads
            // racing addresses: a thousand calls starting at once waited on that hand-off (1.4 to
            // 2.0 s before their requests left, cold, in the reference server's burst test).
            .fastFallback(false)
            .followRedirects(false)
            .protocols(
                connection.http2PriorKnowledge()
                    ? List.of(Protocol.H2_PRIOR_KNOWLEDGE)
                    : List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
    return new HttpTransport(base.build(), connection.maxConcurrentRequests(), watch);
  }

  /**
   * A client builder sharing this transport's pool and dispatcher, with {@code connection}'s
   * connect and read timeouts, each capped by {@code callLimit}, the limit of one whole call.
   */
  public OkHttpClient.Builder newClientBuilder(OpenAiConnection connection, Duration callLimit) {
    Duration connect = min(connection.connectTimeout(), callLimit);
    Duration read = min(connection.readTimeout(), callLimit);
    return base.newBuilder()
        .connectTimeout(connect)
        .readTimeout(read)
        .writeTimeout(read)
        .callTimeout(callLimit);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  public int maxConcurrentRequests() {
    return maxConcurrentRequests;
  }

  /** Registers one more user; each user calls {@link #release()} once. */
  public HttpTransport retain() {
    while (true) {
      int n = users.get();
      if (n <= 0) {
        throw new IllegalStateException("the HTTP client was closed");
      }
      if (users.compareAndSet(n, n + 1)) {
        return this;
      }
    }
  }

  /** Releases one user; the last one shuts the dispatcher down and closes pooled connections. */
  public void release() {
    if (users.decrementAndGet() == 0) {
      base.dispatcher().cancelAll();
      base.dispatcher().executorService().shutdown();
      base.connectionPool().evictAll();
    }
  }

  public boolean isClosed() {
    return users.get() <= 0;
  }

  /**
   * Sends {@code request} with {@code client} and waits for the response head.
   *
   * @param permitWait how long to wait for a free slot when {@code maxConcurrentRequests} are in
   *     flight
   * @throws StoryMagicException.ModelUnavailable (bulkhead full) when no slot frees up within
   *     {@code permitWait}
   * @throws IOException when the call fails (connect, timeout, reset, cancelled)
   * @throws InterruptedException when the caller is interrupted; the call is cancelled
   */
  public Exchange send(OkHttpClient client, Request request, Duration permitWait)
      throws IOException, InterruptedException {
    if (isClosed()) {
      throw new IllegalStateException("the HTTP client was closed");
    }
    if (!permits.tryAcquire(permitWait.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new StoryMagicException.ModelUnavailable(
          StoryMagicException.ModelUnavailable.Reason.BULKHEAD_FULL,
          maxConcurrentRequests + " HTTP requests already in flight to " + request.url().host(),
          Duration.ofSeconds(1),
          null);
    }
    Call call = client.newCall(request);
    // Registered before the call starts and the flag checked after: an interrupt from here on is
    // seen by the watch (or, on a virtual thread, by the JDK), by OkHttp, or by this check.
    watch.watch(call);
    try {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("interrupted before the call");
      }
      Response response = call.execute();
      return new Exchange(call, response, permits, watch);
    } catch (IOException e) {
      // OkHttp may notice the interrupt before the watch does (InterruptedIOException on a socket
      // write or read): the call failed, but it is cancelled here so that it is never left to the
      // watch.
      boolean interrupted = Thread.interrupted();
      abandon(call, interrupted);
      if (interrupted) {
        InterruptedException cancelled = new InterruptedException("interrupted during the call");
        cancelled.initCause(e);
        throw cancelled;
      }
      throw e;
    } catch (InterruptedException | RuntimeException | Error e) {
      abandon(call, true);
      throw e;
    }
  }

  private void abandon(Call call, boolean cancel) {
    watch.unwatch(call);
    try {
      if (cancel) {
        call.cancel();
      }
    } finally {
      permits.release();
    }
  }

  /** A call with its response; closing it closes the response and frees the slot, once. */
  public static final class Exchange implements AutoCloseable {
    private final Call call;
    private final Response response;
    private final Semaphore permits;
    private final InterruptWatch watch;
    private final AtomicBoolean closed = new AtomicBoolean();

    Exchange(Call call, Response response, Semaphore permits, InterruptWatch watch) {
      this.call = call;
      this.response = response;
      this.permits = permits;
      this.watch = watch;
    }

    public Call call() {
      return call;
    }

    public Response response() {
      return response;
    }

    /** Cancels the HTTP call: the connection is dropped and any blocked read fails. */
    public void cancel() {
      call.cancel();
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        watch.unwatch(call);
        try {
          if (Thread.currentThread().isInterrupted()) {
            // Interrupted after the response head, before the watch looked: drop the connection
            // now.
            call.cancel();
          }
          response.close();
        } finally {
          permits.release();
        }
      }
    }
  }
}
