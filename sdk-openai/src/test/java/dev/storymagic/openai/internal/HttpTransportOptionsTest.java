package dev.storymagic.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.openai.OpenAiConnection;
import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import org.junit.jupiter.api.Test;

class HttpTransportOptionsTest {
  private static OpenAiConnection.Builder local() {
    return OpenAiConnection.custom().baseUrl("http://127.0.0.1:1/v1").apiKey("sk-test-0123456789");
  }

  @Test
  void poolAndDispatcher_followTheConnection() {
    OpenAiConnection c =
        local().maxConcurrentRequests(7).connectionPool(3, Duration.ofSeconds(20)).build();
    HttpTransport transport = HttpTransport.create(c);
    try {
      OkHttpClient client = transport.newClientBuilder(c, Duration.ofSeconds(30)).build();
      assertThat(transport.maxConcurrentRequests()).isEqualTo(7);
      assertThat(client.dispatcher().getMaxRequests()).isEqualTo(7);
      assertThat(client.dispatcher().getMaxRequestsPerHost()).isEqualTo(7);
      assertThat(client.protocols()).containsExactly(Protocol.HTTP_2, Protocol.HTTP_1_1);
      assertThat(client.followRedirects()).isFalse();
    } finally {
      transport.release();
    }
  }

  @Test
  void h2c_isSpokenWhenAskedFor() {
    OpenAiConnection c = local().http2PriorKnowledge(true).build();
    HttpTransport transport = HttpTransport.create(c);
    try {
      assertThat(transport.newClientBuilder(c, Duration.ofSeconds(5)).build().protocols())
          .isEqualTo(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
    } finally {
      transport.release();
    }
  }

  @Test
  void timeouts_areTheConnectionsCappedByTheCallLimit() {
    OpenAiConnection c =
        local().connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(45)).build();
    HttpTransport transport = HttpTransport.create(c);
    try {
      OkHttpClient quick = transport.newClientBuilder(c, Duration.ofSeconds(5)).build();
      assertThat(quick.connectTimeoutMillis()).isEqualTo(5_000);
      assertThat(quick.readTimeoutMillis()).isEqualTo(5_000);
      assertThat(quick.callTimeoutMillis()).isEqualTo(5_000);
      OkHttpClient slow = transport.newClientBuilder(c, Duration.ofSeconds(55)).build();
      assertThat(slow.connectTimeoutMillis()).isEqualTo(10_000);
      assertThat(slow.readTimeoutMillis()).isEqualTo(45_000);
      assertThat(slow.writeTimeoutMillis()).isEqualTo(45_000);
      assertThat(slow.callTimeoutMillis()).isEqualTo(55_000);
    } finally {
      transport.release();
    }
  }
}
