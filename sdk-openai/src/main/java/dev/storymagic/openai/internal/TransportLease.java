package dev.storymagic.openai.internal;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's share of an {@link HttpTransport}: {@link #close()} releases it once, however often
 * the client is closed, so a client closed twice never releases a share another client holds.
 */
public final class TransportLease implements AutoCloseable {
  private final HttpTransport transport;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param transport a transport this client is already counted as a user of (it created or
   *     retained it)
   */
  public TransportLease(HttpTransport transport) {
    this.transport = requireNonNull(transport, "transport");
  }

  public HttpTransport transport() {
    return transport;
  }

  /** Whether this client closed its share. */
  public boolean isClosed() {
    return closed.get();
  }

  /** Releases the share. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      transport.release();
    }
  }
}
