package dev.storymagic.store;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.storymagic.Story;
import dev.storymagic.store.internal.PostgresPool;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A real password change on the local PostgreSQL, for a role this test creates, while the store
 * serves a steady load: the password moves in a stand-in of the Secrets Manager API, the pool's
 * connections are replaced, and not one store call fails.
 *
 * <p>The local server trusts 127.0.0.1 by default, which would accept any password; members of the
 * group role {@value #GROUP} must log in with their password instead. {@code .ci/run} adds that
 * rule to pg_hba.conf ({@code host all +storymagic_rotation 127.0.0.1/32 scram-sha-256}).
 */
class CredentialRotationIT {
  static final String GROUP = "storymagic_rotation";
  static final String SECRET = "storymagic/database-credentials";
  static final ObjectMapper JSON = new ObjectMapper();
  final String role = "sm_rot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  final String schema = LocalPostgres.randomSchema("it_rotation");
  WireMockServer secretsManager;

  @BeforeEach
  void setUp() {
    LocalPostgres.requireRunning();
    LocalPostgres.execute(
        "DO $$ BEGIN CREATE ROLE "
            + GROUP
            + " NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    LocalPostgres.execute(
        "CREATE ROLE " + role + " LOGIN PASSWORD 'first-" + role + "' IN ROLE " + GROUP);
    LocalPostgres.execute("GRANT CREATE ON DATABASE test TO " + role);
    try (Connection c = DriverManager.getConnection(LocalPostgres.URL, role, "not-the-password")) {
      throw new IllegalStateException(
          "PostgreSQL on "
              + LocalPostgres.URL
              + " accepted a wrong password for a member of "
              + GROUP
              + ", so a password change cannot be tested: add 'host all +"
              + GROUP
              + " 127.0.0.1/32 scram-sha-256' above the trust lines of pg_hba.conf and reload (see .ci/run)");
    } catch (SQLException expected) {
      assertThat(expected.getSQLState()).isEqualTo("28P01");
    }
    secretsManager = new WireMockServer(wireMockConfig().dynamicPort());
    secretsManager.start();
    publish("first-" + role, "v1");
  }

  @AfterEach
  void tearDown() {
    if (secretsManager != null) {
      secretsManager.stop();
    }
    LocalPostgres.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
    LocalPostgres.dropSchema(schema);
    LocalPostgres.execute("REVOKE CREATE ON DATABASE test FROM " + role);
    LocalPostgres.execute("DROP ROLE IF EXISTS " + role);
  }

  /** What GetSecretValue answers from now on. */
  void publish(String password, String version) {
    String secretString =
        JSON.createObjectNode()
            .put("engine", "postgres")
            .put("username", role)
            .put("password", password)
            .toString();
    String body =
        JSON.createObjectNode()
            .put("ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:" + SECRET)
            .put("Name", SECRET)
            .put("VersionId", version)
            .put("SecretString", secretString)
            .put("CreatedDate", 1.7e9)
            .toString();
    secretsManager.stubFor(
        post("/")
            .withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody(body)));
  }

  record Result(long ok, List<Throwable> failures) {}

  @Test
  void passwordRotationUnderLoadFailsNoRequest() throws Exception {
    SecretsManagerCredentials credentials =
        SecretsManagerCredentials.builder()
            .secretId(SECRET)
            .region("eu-west-1")
            .endpoint(URI.create(secretsManager.baseUrl()))
            .awsCredentials(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("AKIDEXAMPLE", "secret-example")))
            .minRefreshInterval(Duration.ofMillis(200))
            .build();
    Result result;
    try {
      result = rotateUnderLoad(credentials, true);
    } finally {
      credentials.close();
    }
    int lookups =
        secretsManager.countRequestsMatching(postRequestedFor(urlEqualTo("/")).build()).getCount();
    System.out.printf(
        "password rotation: %d store calls (save + find) across 2 rotations, %d failed, %d secret look-ups%n",
        result.ok(), result.failures().size(), lookups);
    assertThat(result.failures())
        .as("store calls that failed across two password rotations")
        .isEmpty();
    assertThat(result.ok()).isGreaterThan(250);
    // Read at start, then again after each refusal of the old password (not once per connection).
    assertThat(lookups).isBetween(3, 12);
  }

  /** The same rotation with credentials that are never read again: new connections are refused. */
  @Test
  void withoutRefreshingTheCredentialsARotationBreaksNewConnections() throws Exception {
    Result result = rotateUnderLoad(CredentialsProvider.fixed(role, "first-" + role), false);
    assertThat(result.failures()).isNotEmpty();
    assertThat(result.failures().get(0)).hasStackTraceContaining("password authentication failed");
  }

  Result rotateUnderLoad(CredentialsProvider credentials, boolean expectRecovery) throws Exception {
    PostgresConfig config =
        PostgresConfig.builder()
            .jdbcUrl(LocalPostgres.URL)
            .credentials(credentials)
            .schema(schema)
            .maxPoolSize(4)
            .minIdle(2)
            .connectionTimeout(Duration.ofSeconds(2))
            .build();
    PostgresPool pool = PostgresPool.open(config);
    PostgresStoryStore store =
        PostgresStoryStore.create(
            pool.dataSource(), PostgresConfig.builder().schema(schema).build());
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong ok = new AtomicLong();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService load = Executors.newFixedThreadPool(6);
    List<Future<?>> workers = new ArrayList<>();
    try {
      for (int w = 0; w < 6; w++) {
        int worker = w;
        workers.add(
            load.submit(
                () -> {
                  int i = 0;
                  while (running.get()) {
                    try {
                      Story saved =
                          store.save(
                              TestStories.rich("owner-" + worker, "key-" + worker + "-" + i++));
                      assertThat(store.find("owner-" + worker, saved.id())).isPresent();
                      ok.incrementAndGet();
                    } catch (Throwable t) {
                      failures.add(t);
                    }
                  }
                }));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> ok.get() >= 50);
      for (int rotation = 2; rotation <= 3; rotation++) {
        String password = "rotated-" + rotation + "-" + UUID.randomUUID();
        long before = ok.get();
        long changedAt = System.currentTimeMillis();
        // The rotation's steps as Secrets Manager runs them: set the password on the database, then
        // make the new version current.
        LocalPostgres.execute("ALTER ROLE " + role + " PASSWORD '" + password + "'");
        publish(password, "v" + rotation);
        // New connections from here on (as when connections reach their lifetime or the pool
        // grows).
        pool.evictConnections();
        if (!expectRecovery) {
          await().atMost(Duration.ofSeconds(20)).until(() -> !failures.isEmpty());
          break;
        }
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () -> {
                  assertThat(ok.get()).isGreaterThan(before + 100);
                  assertThat(
                          LocalPostgres.count(
                              "SELECT count(*) FROM pg_stat_activity WHERE usename = '"
                                  + role
                                  + "' AND backend_start > to_timestamp("
                                  + changedAt / 1000.0
                                  + ")"))
                      .isPositive();
                });
      }
    } finally {
      running.set(false);
      for (Future<?> f : workers) {
        f.get(30, TimeUnit.SECONDS);
      }
      load.shutdownNow();
      store.close();
      pool.close();
    }
    return new Result(ok.get(), failures);
  }
}
