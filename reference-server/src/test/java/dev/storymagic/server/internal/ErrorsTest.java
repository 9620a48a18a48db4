package dev.storymagic.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyFinding;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.Severity;
import dev.storymagic.StoryMagicException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorsTest {

  @Test
  void aProviderContentRefusalIsA422NotA502() {
    ApiError error =
        Errors.map(
            new StoryMagicException.ModelFailure(
                StoryMagicException.ModelFailure.Reason.CONTENT_FILTERED,
                "openai:gpt-4o-mini's content filter stopped the story",
                200,
                null));
    assertThat(error.status()).isEqualTo(422);
    assertThat(error.code()).isEqualTo("content_refused");
  }

  @Test
  void anUnusableStoryIsA502ListingTheProblemsWithoutStoryText() {
    ApiError error =
        Errors.map(
            new StoryMagicException.ModelFailure(
                StoryMagicException.ModelFailure.Reason.UNUSABLE_STORY,
                "model 'openai:llama3.2' wrote no usable story in 3 attempts: title: the story has no title; "
                    + "length: only 1 words, under half of the requested 150-300 words"));
    assertThat(error.status()).isEqualTo(502);
    assertThat(error.code()).isEqualTo("model_failure");
    assertThat(error.message())
        .isEqualTo(
            "the story model wrote no usable story: title: the story has no title; "
                + "length: only 1 words, under half of the requested 150-300 words");
    assertThat(error.details())
        .isEqualTo(
            Map.of(
                "reason",
                "unusable_story",
                "problems",
                List.of(
                    "title: the story has no title",
                    "length: only 1 words, under half of the requested 150-300 words")));
  }

  @Test
  void aForbiddenCallIsAModelFailureNamingPermissionNotCredentials() {
    ApiError error =
        Errors.map(
            new StoryMagicException.ModelFailure(
                StoryMagicException.ModelFailure.Reason.PERMISSION_DENIED, "403"));
    assertThat(error.status()).isEqualTo(502);
    assertThat(error.message()).isEqualTo("the story model failed (permission_denied)");
  }

  @Test
  void anAbsentRemoteFilterIsA503ThatSaysSo() {
    SafetyVerdict verdict =
        new SafetyVerdict(
            List.of(
                new SafetyFinding(
                    SafetyCategory.UNVERIFIED,
                    Severity.HIGH,
                    1.0,
                    -1,
                    -1,
                    "openai-moderation-absent",
                    true)),
            "default-1");
    ApiError error = Errors.map(new StoryMagicException.UnsafeOutput(verdict, 1));
    assertThat(error.status()).isEqualTo(503);
    assertThat(error.code()).isEqualTo("safety_filter_absent");
    assertThat(error.message()).contains("not available on this model server");

    SafetyVerdict outage =
        new SafetyVerdict(
            List.of(
                new SafetyFinding(
                    SafetyCategory.UNVERIFIED,
                    Severity.HIGH,
                    1.0,
                    -1,
                    -1,
                    "openai-moderation-unavailable",
                    true)),
            "default-1");
    assertThat(Errors.map(new StoryMagicException.UnsafeOutput(outage, 3)).code())
        .isEqualTo("unsafe_output");
  }
}
