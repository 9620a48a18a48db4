package dev.storymagic.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.storymagic.ResilienceSettings;
import dev.storymagic.Story;
import dev.storymagic.StoryMagic;
import dev.storymagic.StoryMagicException;
import dev.storymagic.testing.RecordingStoryListener;
import dev.storymagic.testing.SampleStories;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every row of the outcome matrix, end to end through {@link StoryMagic} with its retries: the
 * outcome and the number of HTTP requests the model made.
 */
class OpenAiStoryModelOutcomesTest {
  @RegisterExtension static final OpenAiStub stub = OpenAiStub.start();
  private OpenAiStoryModel model;
  private StoryMagic magic;

  @BeforeEach
  void setUp() {
    model = stub.model().build();
    magic = OpenAiStub.magic(model);
  }

  @AfterEach
  void tearDown() {
    magic.close();
    model.close();
  }

  // ------------------------------------------------------------------ success

  @Test
  void ok_returnsStructuredStoryInOneRequest() {
    stub.server.stubFor(stub.chat().willReturn(okJson(OpenAiStub.structuredCompletion())));

    Story story = magic.generate(SampleStories.request());

    assertThat(story.title()).isEqualTo(OpenAiStub.TITLE);
    assertThat(story.paragraphs()).isEqualTo(OpenAiStub.PARAGRAPHS);
    assertThat(story.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(stub.chatRequests()).isEqualTo(1);
  }

  @Test
  void okStreamed_deliversTextAndCompletesInOneRequest() {
    stub.server.stubFor(stub.chat().willReturn(sseResponse(OpenAiStub.sse())));
    RecordingStoryListener listener = new RecordingStoryListener();

    Story story = magic.stream(SampleStories.request(), listener).join();

    assertThat(story.title()).isEqualTo(OpenAiStub.TITLE);
    assertThat(story.paragraphs()).isEqualTo(OpenAiStub.PARAGRAPHS);
    assertThat(listener.shown())
        .isEqualToIgnoringWhitespace(String.join("", OpenAiStub.PARAGRAPHS));
    assertThat(listener.texts()).noneMatch(t -> t.contains("{") || t.contains("\"choices\""));
    assertThat(stub.chatRequests()).isEqualTo(1);
  }

  // ------------------------------------------------------------------ permanent failures: one
  // request

  @Test
  void badRequest400_surfacesProviderMessageWithoutRetry() {
    StoryMagicException.ModelFailure e =
        permanentFailure(
            aResponse()
                .withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody(
                    "{\"error\":{\"message\":\"Invalid value for 'temperature'.\",\"type\":\"invalid_request_error\","
                        + "\"param\":\"temperature\",\"code\":null}}"),
            StoryMagicException.ModelFailure.Reason.BAD_REQUEST);
    assertThat(e.httpStatus()).hasValue(400);
    assertThat(e.getMessage()).contains("HTTP 400").contains("Invalid value for 'temperature'.");
  }

  @Test
  void unauthorized401_isAConfigurationErrorWithoutRetryAndHidesTheKey() {
    StoryMagicException.ModelFailure e =
        permanentFailure(
            aResponse()
                .withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody(
                    "{\"error\":{\"message\":\"Incorrect API key provided: sk-test-0123456789.\","
                        + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"),
            StoryMagicException.ModelFailure.Reason.AUTHENTICATION);
    assertThat(e.httpStatus()).hasValue(401);
    assertThat(e.getMessage()).contains("rejected the credentials").doesNotContain("0123456789");
  }

  @Test
  void forbidden403_isAPermissionRefusalNotAnAuthenticationErrorAndIsNotRetried() {
    StoryMagicException.ModelFailure e =
        permanentFailure(
            aResponse()
                .withStatus(403)
                .withBody("{\"error\":{\"message\":\"Project does not have access to model\"}}"),
            StoryMagicException.ModelFailure.Reason.PERMISSION_DENIED);
    assertThat(e.getMessage()).doesNotContain("credentials");
    assertThat(e.getMessage())
        .contains("HTTP 403")
        .contains("Project does not have access to model");
  }

  @Test
  void notFound404_isUnknownModelWithoutRetry() {
    StoryMagicException.ModelFailure e =
        permanentFailure(
            aResponse()
                .withStatus(404)
                .withBody(
                    "{\"error\":{\"message\":\"The model `gpt-9` does not exist\",\"code\":\"model_not_found\"}}"),
            StoryMagicException.ModelFailure.Reason.UNKNOWN_MODEL);
    assertThat(e.getMessage()).contains("HTTP 404").contains("The model `gpt-9` does not exist");
  }

  @Test
  void quotaExhausted429_isAConfigurationErrorWithoutRetry() {
    StoryMagicException.ModelFailure e =
        permanentFailure(
            aResponse()
                .withStatus(429)
                .withHeader("Retry-After", "1")
                .withBody(
                    "{\"error\":{\"message\":\"You exceeded your current quota\",\"code\":\"insufficient_quota\"}}"),
            StoryMagicException.ModelFailure.Reason.AUTHENTICATION);
    assertThat(e.getMessage()).contains("quota");
  }

  @Test
  void finishReasonLength_isTruncatedWithoutRetry() {
    StoryMagicException.ModelFailure e =
        permanentFailure(
            okJson(
                OpenAiStub.structuredCompletion(OpenAiStub.TITLE, OpenAiStub.PARAGRAPHS, "length")),
            StoryMagicException.ModelFailure.Reason.TRUNCATED);
    assertThat(e.getMessage()).contains("finish_reason \"length\"");
  }

  @Test
  void finishReasonContentFilter_isContentFilteredWithoutRetry() {
    StoryMagicException.ModelFailure e =
        permanentFailure(
            okJson(OpenAiStub.completion("", "content_filter", 100, 0)),
            StoryMagicException.ModelFailure.Reason.CONTENT_FILTERED);
    assertThat(e.getMessage()).contains("content filter");
  }

  @Test
  void refusal_isContentFilteredWithoutRetry() {
    String body =
        OpenAiStub.completion("", "stop", 100, 5)
            .replace("\"refusal\":null", "\"refusal\":\"I can't help with that.\"");
    stub.server.stubFor(stub.chat().willReturn(okJson(body)));

    StoryMagicException.ModelFailure e = failure(StoryMagicException.ModelFailure.class);

    assertThat(e.reason()).isEqualTo(StoryMagicException.ModelFailure.Reason.CONTENT_FILTERED);
    assertThat(e.getMessage()).contains("refused").contains("I can't help with that.");
    assertThat(stub.chatRequests()).isEqualTo(1);
  }

  @Test
  void emptyChoices_isInvalidResponseWithoutRetry() {
    StoryMagicException.ModelFailure e =
        permanentFailure(
            okJson(
                "{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\",\"choices\":[]}"),
            StoryMagicException.ModelFailure.Reason.INVALID_RESPONSE);
    assertThat(e.getMessage()).contains("no choices");
  }

  @Test
  void malformedJson_isInvalidResponseWithoutRetry() {
    StoryMagicException.ModelFailure e =
        permanentFailure(
            okJson("{\"id\":\"x\",\"choices\":[{\"message\":"),
            StoryMagicException.ModelFailure.Reason.INVALID_RESPONSE);
    assertThat(e.getMessage()).contains("malformed JSON");
  }

  @Test
  void malformedStructuredAnswer_isInvalidResponseNamingTheFixWithoutRetry() {
    StoryMagicException.ModelFailure e =
        permanentFailure(
            okJson(OpenAiStub.completion("{\"title\": \"Mia\", \"paragraphs\": [", "stop", 10, 5)),
            StoryMagicException.ModelFailure.Reason.INVALID_RESPONSE);
    assertThat(e.getMessage())
        .contains("starts like JSON but is not valid JSON")
        .contains("build the model with structuredOutput(false)");
  }

  @Test
  void emptyBody200_isInvalidResponseWithoutRetry() {
    StoryMagicException.ModelFailure e =
        permanentFailure(
            aResponse().withStatus(200), StoryMagicException.ModelFailure.Reason.INVALID_RESPONSE);
    assertThat(e.getMessage()).contains("empty response body");
  }

  @Test
  void truncatedStream_withoutDone_isInvalidResponseWithoutRetry() {
    StoryMagicException.ModelFailure e =
        permanentStreamFailure(
            sseResponse(OpenAiStub.sse(OpenAiStub.deltas().subList(0, 8), null, false)),
            StoryMagicException.ModelFailure.Reason.INVALID_RESPONSE);
    assertThat(e.getMessage()).contains("ended without [DONE]");
  }

  @Test
  void streamedLength_isTruncated() {
    permanentStreamFailure(
        sseResponse(OpenAiStub.sse(OpenAiStub.deltas(), "length", true)),
        StoryMagicException.ModelFailure.Reason.TRUNCATED);
  }

  @Test
  void streamedContentFilter_isContentFiltered() {
    permanentStreamFailure(
        sseResponse(OpenAiStub.sse(List.of(), "content_filter", true)),
        StoryMagicException.ModelFailure.Reason.CONTENT_FILTERED);
  }

  @Test
  void streamWithEmptyChoices_isInvalidResponse() {
    StoryMagicException.ModelFailure e =
        permanentStreamFailure(
            sseResponse(
                "data: {\"id\":\"x\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":0}}\n\ndata: [DONE]\n\n"),
            StoryMagicException.ModelFailure.Reason.INVALID_RESPONSE);
    assertThat(e.getMessage()).contains("no choices");
  }

  @Test
  void streamWithMalformedEvent_isInvalidResponse() {
    StoryMagicException.ModelFailure e =
        permanentStreamFailure(
            sseResponse("data: {\"choices\":[{\"delta\":\n\ndata: [DONE]\n\n"),
            StoryMagicException.ModelFailure.Reason.INVALID_RESPONSE);
    assertThat(e.getMessage()).contains("malformed JSON in the stream");
  }

  // ------------------------------------------------------------------ transient failures: retried

  @Test
  void timeout408_isRetriedUntilSuccess() {
    failTwiceThenSucceed(aResponse().withStatus(408));

    assertThat(magic.generate(SampleStories.request()).title()).isEqualTo(OpenAiStub.TITLE);
    assertThat(stub.chatRequests()).isEqualTo(3);
  }

  @Test
  void conflict409_isRetriedUntilSuccess() {
    failTwiceThenSucceed(aResponse().withStatus(409));

    assertThat(magic.generate(SampleStories.request()).title()).isEqualTo(OpenAiStub.TITLE);
    assertThat(stub.chatRequests()).isEqualTo(3);
  }

  @Test
  void aRetriedHttpCall_countsInTheStorysAttempts() {
    rateLimitedOnceThenOk(aResponse().withStatus(503));

    Story story = magic.generate(SampleStories.request());

    assertThat(stub.chatRequests()).isEqualTo(2);
    assertThat(story.attempts()).as("one story, two model calls").isEqualTo(2);
  }

  @Test
  void serverError500_isRetriedThenReportedAsRetriesExhausted() {
    stub.server.stubFor(
        stub.chat()
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withBody(
                        "{\"error\":{\"message\":\"The server had an error while processing your request.\"}}")));

    StoryMagicException.ModelUnavailable e = failure(StoryMagicException.ModelUnavailable.class);

    assertThat(e.reason()).isEqualTo(StoryMagicException.ModelUnavailable.Reason.RETRIES_EXHAUSTED);
    assertThat(e.getMessage())
        .contains("failed 3 attempts")
        .contains("HTTP 500")
        .contains("The server had an error while processing your request.");
    assertThat(e.getCause())
        .isInstanceOfSatisfying(
            StoryMagicException.ModelUnavailable.class,
            cause ->
                assertThat(cause.reason())
                    .isEqualTo(StoryMagicException.ModelUnavailable.Reason.UPSTREAM_ERROR));
    assertThat(stub.chatRequests()).isEqualTo(3);
  }

  @Test
  void badGateway502_isRetriedUntilSuccess() {
    failTwiceThenSucceed(aResponse().withStatus(502).withBody("<html>Bad gateway</html>"));

    assertThat(magic.generate(SampleStories.request()).title()).isEqualTo(OpenAiStub.TITLE);
    assertThat(stub.chatRequests()).isEqualTo(3);
  }

  @Test
  void unavailable503_twiceThenOk_succeedsOnTheThirdRequest() {
    failTwiceThenSucceed(aResponse().withStatus(503));

    Story story = magic.generate(SampleStories.request());

    assertThat(story.paragraphs()).isEqualTo(OpenAiStub.PARAGRAPHS);
    assertThat(stub.chatRequests()).isEqualTo(3);
  }

  @Test
  void rateLimited429_retryAfterSeconds_waitsThatLong() {
    rateLimitedOnceThenOk(aResponse().withStatus(429).withHeader("Retry-After", "1"));

    magic.generate(SampleStories.request());

    assertThat(stub.chatRequests()).isEqualTo(2);
    assertThat(gapBetweenFirstTwoRequests())
        .isBetween(Duration.ofMillis(950), Duration.ofMillis(2500));
  }

  @Test
  void rateLimited429_retryAfterHttpDate_waitsUntilThen() {
    String in2s =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            Instant.now().plusSeconds(2).atOffset(ZoneOffset.UTC));
    rateLimitedOnceThenOk(aResponse().withStatus(429).withHeader("Retry-After", in2s));

    magic.generate(SampleStories.request());

    assertThat(stub.chatRequests()).isEqualTo(2);
    // The date has whole-second precision, so the wait is between one and two seconds from when the
    // header was written, less the first call's own time on a loaded machine; far above the 10 ms
    // backoff.
    assertThat(gapBetweenFirstTwoRequests())
        .isBetween(Duration.ofMillis(500), Duration.ofMillis(3000));
  }

  @Test
  void rateLimited429_retryAfterMs_waitsThatLong() {
    rateLimitedOnceThenOk(aResponse().withStatus(429).withHeader("Retry-After-Ms", "600"));

    magic.generate(SampleStories.request());

    assertThat(stub.chatRequests()).isEqualTo(2);
    assertThat(gapBetweenFirstTwoRequests())
        .isBetween(Duration.ofMillis(580), Duration.ofMillis(2000));
  }

  @Test
  void rateLimited429_rateLimitResetRequests_waitsForTheExhaustedLimit() {
    rateLimitedOnceThenOk(
        aResponse()
            .withStatus(429)
            .withHeader("x-ratelimit-remaining-requests", "0")
            .withHeader("x-ratelimit-reset-requests", "700ms")
            .withHeader("x-ratelimit-remaining-tokens", "15000")
            .withHeader("x-ratelimit-reset-tokens", "6m0s"));

    magic.generate(SampleStories.request());

    assertThat(stub.chatRequests()).isEqualTo(2);
    assertThat(gapBetweenFirstTwoRequests())
        .isBetween(Duration.ofMillis(680), Duration.ofMillis(2000));
  }

  @Test
  void rateLimited429_rateLimitResetTokens_waitsForTheExhaustedLimit() {
    rateLimitedOnceThenOk(
        aResponse()
            .withStatus(429)
            .withHeader("x-ratelimit-remaining-requests", "499")
            .withHeader("x-ratelimit-reset-requests", "120ms")
            .withHeader("x-ratelimit-remaining-tokens", "0")
            .withHeader("x-ratelimit-reset-tokens", "0.8s"));

    magic.generate(SampleStories.request());

    assertThat(stub.chatRequests()).isEqualTo(2);
    assertThat(gapBetweenFirstTwoRequests())
        .isBetween(Duration.ofMillis(780), Duration.ofMillis(2200));
  }

  @Test
  void rateLimited429_hintLongerThanMaxBackoff_isCappedByThePipeline() {
    magic.close();
    model = stub.model().build();
    magic =
        OpenAiStub.magic(
            model,
            ResilienceSettings.builder()
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(200))
                .build());
    rateLimitedOnceThenOk(aResponse().withStatus(429).withHeader("Retry-After", "30"));

    magic.generate(SampleStories.request());

    assertThat(stub.chatRequests()).isEqualTo(2);
    assertThat(gapBetweenFirstTwoRequests())
        .isBetween(Duration.ofMillis(190), Duration.ofMillis(1500));
  }

  @Test
  void rateLimited429_always_endsAsRetriesExhaustedCarryingTheHint() {
    stub.server.stubFor(
        stub.chat()
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After-Ms", "20")
                    .withBody(
                        "{\"error\":{\"message\":\"Rate limit reached for requests\",\"code\":\"rate_limit_exceeded\"}}")));

    StoryMagicException.ModelUnavailable e = failure(StoryMagicException.ModelUnavailable.class);

    assertThat(e.reason()).isEqualTo(StoryMagicException.ModelUnavailable.Reason.RETRIES_EXHAUSTED);
    assertThat(e.retryAfter()).contains(Duration.ofMillis(20));
    assertThat(e.getCause())
        .isInstanceOfSatisfying(
            StoryMagicException.ModelUnavailable.class,
            cause ->
                assertThat(cause.reason())
                    .isEqualTo(StoryMagicException.ModelUnavailable.Reason.UPSTREAM_RATE_LIMITED));
    assertThat(stub.chatRequests()).isEqualTo(3);
  }

  @Test
  void responseSlowerThanReadTimeout_isRetriedAsTransient() {
    model.close();
    magic.close();
    model =
        OpenAiStub.model(stub.connection().readTimeout(Duration.ofMillis(300)).build())
            .callTimeout(Duration.ofSeconds(2))
            .build();
    magic = OpenAiStub.magic(model, OpenAiStub.fastRetries().toBuilder().maxAttempts(2).build());
    stub.server.stubFor(
        stub.chat().willReturn(okJson(OpenAiStub.structuredCompletion()).withFixedDelay(1500)));

    StoryMagicException.ModelUnavailable e = failure(StoryMagicException.ModelUnavailable.class);

    assertThat(e.reason()).isEqualTo(StoryMagicException.ModelUnavailable.Reason.RETRIES_EXHAUSTED);
    assertThat(e.getMessage()).contains("read timeout");
    assertThat(stub.chatRequests()).isEqualTo(2);
  }

  @Test
  void responseSlowerThanCallTimeout_isRetriedAsTransient() {
    model.close();
    magic.close();
    model =
        OpenAiStub.model(
                stub.connection()
                    .connectTimeout(Duration.ofMillis(200))
                    .readTimeout(Duration.ofSeconds(5))
                    .build())
            .callTimeout(Duration.ofMillis(400))
            .build();
    magic = OpenAiStub.magic(model, OpenAiStub.fastRetries().toBuilder().maxAttempts(2).build());
    stub.server.stubFor(
        stub.chat().willReturn(okJson(OpenAiStub.structuredCompletion()).withFixedDelay(1500)));

    StoryMagicException.ModelUnavailable e = failure(StoryMagicException.ModelUnavailable.class);

    assertThat(e.getMessage()).contains("call timeout");
    assertThat(stub.chatRequests()).isEqualTo(2);
  }

  @Test
  void connectionReset_isRetriedUntilSuccess() {
    failTwiceThenSucceed(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

    assertThat(magic.generate(SampleStories.request()).title()).isEqualTo(OpenAiStub.TITLE);
    assertThat(stub.chatRequests()).isEqualTo(3);
  }

  @Test
  void connectionReset_always_endsAsRetriesExhaustedFromAConnectionFailure() {
    stub.server.stubFor(
        stub.chat().willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    StoryMagicException.ModelUnavailable e = failure(StoryMagicException.ModelUnavailable.class);

    assertThat(e.reason()).isEqualTo(StoryMagicException.ModelUnavailable.Reason.RETRIES_EXHAUSTED);
    assertThat(e.getCause())
        .isInstanceOfSatisfying(
            StoryMagicException.ModelUnavailable.class,
            cause ->
                assertThat(cause.reason())
                    .isEqualTo(StoryMagicException.ModelUnavailable.Reason.CONNECTION_FAILED));
    assertThat(stub.chatRequests()).isEqualTo(3);
  }

  @Test
  void emptyResponse_connectionClosedWithoutAnswer_isRetriedAsAConnectionFailure() {
    stub.server.stubFor(stub.chat().willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));

    StoryMagicException.ModelUnavailable e = failure(StoryMagicException.ModelUnavailable.class);

    assertThat(e.getCause())
        .isInstanceOfSatisfying(
            StoryMagicException.ModelUnavailable.class,
            cause ->
                assertThat(cause.reason())
                    .isEqualTo(StoryMagicException.ModelUnavailable.Reason.CONNECTION_FAILED));
    assertThat(stub.chatRequests()).isEqualTo(3);
  }

  @Test
  void stream_failingBeforeAnyText_isRetried() {
    stub.server.stubFor(
        stub.chat()
            .inScenario("stream")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("recovered"));
    stub.server.stubFor(
        stub.chat()
            .inScenario("stream")
            .whenScenarioStateIs("recovered")
            .willReturn(sseResponse(OpenAiStub.sse())));

    Story story = magic.stream(SampleStories.request(), new RecordingStoryListener()).join();

    assertThat(story.title()).isEqualTo(OpenAiStub.TITLE);
    assertThat(stub.chatRequests()).isEqualTo(2);
  }

  @Test
  void stream_errorEventBeforeAnyText_isRetried() {
    stub.server.stubFor(
        stub.chat()
            .inScenario("stream")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                sseResponse(
                    "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n"))
            .willSetStateTo("recovered"));
    stub.server.stubFor(
        stub.chat()
            .inScenario("stream")
            .whenScenarioStateIs("recovered")
            .willReturn(sseResponse(OpenAiStub.sse())));

    Story story = magic.stream(SampleStories.request(), new RecordingStoryListener()).join();

    assertThat(story.paragraphs()).isEqualTo(OpenAiStub.PARAGRAPHS);
    assertThat(stub.chatRequests()).isEqualTo(2);
  }

  @Test
  void stream_failingAfterTextWasDelivered_isNotRetried() {
    String partial =
        OpenAiStub.sse(
                List.of(OpenAiStub.TITLE + "\n\n", OpenAiStub.PARAGRAPHS.get(0) + " "), null, false)
            + "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n";
    stub.server.stubFor(stub.chat().willReturn(sseResponse(partial)));
    RecordingStoryListener listener = new RecordingStoryListener();

    StoryMagicException.ModelUnavailable e =
        catchThrowableOfType(
            StoryMagicException.ModelUnavailable.class,
            () -> unwrap(() -> magic.stream(SampleStories.request(), listener).join()));

    assertThat(e.reason()).isEqualTo(StoryMagicException.ModelUnavailable.Reason.UPSTREAM_ERROR);
    assertThat(e.getMessage()).contains("mid-stream").contains("overloaded");
    assertThat(listener.texts()).isNotEmpty();
    assertThat(listener.errors()).singleElement().isSameAs(e);
    assertThat(stub.chatRequests()).isEqualTo(1);
  }

  @Test
  void stream_consumerGoneBeforeTheCall_sendsNothing() {
    stub.server.stubFor(stub.chat().willReturn(sseResponse(OpenAiStub.sse())));
    RecordingStoryListener listener = new RecordingStoryListener();
    listener.cancel();

    assertThatThrownBy(() -> unwrap(() -> magic.stream(SampleStories.request(), listener).join()))
        .isInstanceOf(StoryMagicException.Cancelled.class);
    assertThat(stub.chatRequests()).isZero();
  }

  // ------------------------------------------------------------------ helpers

  private void failTwiceThenSucceed(
      com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder failure) {
    stub.server.stubFor(
        stub.chat()
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(failure)
            .willSetStateTo("failed once"));
    stub.server.stubFor(
        stub.chat()
            .inScenario("flaky")
            .whenScenarioStateIs("failed once")
            .willReturn(failure)
            .willSetStateTo("failed twice"));
    stub.server.stubFor(
        stub.chat()
            .inScenario("flaky")
            .whenScenarioStateIs("failed twice")
            .willReturn(okJson(OpenAiStub.structuredCompletion())));
  }

  private void rateLimitedOnceThenOk(
      com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder limited) {
    stub.server.stubFor(
        stub.chat()
            .inScenario("limited")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                limited.withBody(
                    "{\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}"))
            .willSetStateTo("ok"));
    stub.server.stubFor(
        stub.chat()
            .inScenario("limited")
            .whenScenarioStateIs("ok")
            .willReturn(okJson(OpenAiStub.structuredCompletion())));
  }

  private Duration gapBetweenFirstTwoRequests() {
    var log = stub.chatLog();
    return Duration.between(
        log.get(0).getLoggedDate().toInstant(), log.get(1).getLoggedDate().toInstant());
  }

  static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder sseResponse(String body) {
    return dev.storymagic.testing.openai.ChatCompletionsStub.sseResponse(body);
  }

  /**
   * The chat endpoint answers {@code answer}: the story fails with {@code reason} after one
   * request, not retried.
   */
  private StoryMagicException.ModelFailure permanentFailure(
      ResponseDefinitionBuilder answer, StoryMagicException.ModelFailure.Reason reason) {
    return afterOneRequest(answer, reason, () -> failure(StoryMagicException.ModelFailure.class));
  }

  /** As {@link #permanentFailure}, for a streamed story. */
  private StoryMagicException.ModelFailure permanentStreamFailure(
      ResponseDefinitionBuilder answer, StoryMagicException.ModelFailure.Reason reason) {
    return afterOneRequest(
        answer, reason, () -> streamFailure(StoryMagicException.ModelFailure.class));
  }

  private StoryMagicException.ModelFailure afterOneRequest(
      ResponseDefinitionBuilder answer,
      StoryMagicException.ModelFailure.Reason reason,
      Supplier<StoryMagicException.ModelFailure> call) {
    stub.server.stubFor(stub.chat().willReturn(answer));
    StoryMagicException.ModelFailure e = call.get();
    assertThat(e.reason()).isEqualTo(reason);
    assertThat(stub.chatRequests()).isEqualTo(1);
    return e;
  }

  private <T extends StoryMagicException> T failure(Class<T> type) {
    return catchThrowableOfType(type, () -> magic.generate(SampleStories.request()));
  }

  private <T extends StoryMagicException> T streamFailure(Class<T> type) {
    RecordingStoryListener listener = new RecordingStoryListener();
    T e =
        catchThrowableOfType(
            type, () -> unwrap(() -> magic.stream(SampleStories.request(), listener).join()));
    assertThat(listener.errors()).singleElement().isSameAs(e);
    return e;
  }

  private static void unwrap(Runnable r) {
    try {
      r.run();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }
}
