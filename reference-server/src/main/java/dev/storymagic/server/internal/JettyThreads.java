package dev.storymagic.server.internal;

import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The threads Jetty serves requests on, for the server and for its load-test yardstick. */
public final class JettyThreads {
  private JettyThreads() {}

  /**
   * At most 200 platform threads (8 kept), and on Java 21+ (the container) a virtual thread per
   * request, so a request blocked on a slow body or a slow client holds no platform thread; the
   * pool still runs Jetty's selectors.
   */
  public static QueuedThreadPool pool() {
    QueuedThreadPool threads = new QueuedThreadPool(200, 8, 60_000);
    threads.setName("http");
    if (VirtualThreads.areSupported()) {
      threads.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("http-v"));
    }
    return threads;
  }
}
