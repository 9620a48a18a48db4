package dev.storymagic.server.internal;

import io.javalin.Javalin;

/**
 * A bare Javalin endpoint returning a constant, on the same Jetty settings as the server: the
 * yardstick the load test compares the story endpoints with. {@code GET /constant} answers at once;
 * {@code POST /constant} reads the request body first, the yardstick of the story POST. Not part of
 * the service: {@code java -cp storymagic-server.jar dev.storymagic.server.internal.BaselineServer
 * 3101}.
 */
public final class BaselineServer {
  private BaselineServer() {}

  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 3101;
    Javalin.create(
            c -> {
              c.startup.showJavalinBanner = false;
              c.jetty.port = port;
              c.jetty.threadPool = JettyThreads.pool();
              c.routes.get(
                  "/constant",
                  ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
              // The yardstick of the story POST: Jetty reads a request body (the whole of it, as
              // the story endpoint does) before answering, which alone widens the latency spread.
              c.routes.post(
                  "/constant",
                  ctx -> {
                    ctx.bodyAsBytes();
                    ctx.contentType("application/json").result("{\"status\":\"ok\"}");
                  });
            })
        .start();
  }
}
