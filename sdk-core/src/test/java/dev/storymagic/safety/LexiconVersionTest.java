package dev.storymagic.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.SafetyCategory;
import dev.storymagic.Severity;
import dev.storymagic.spi.LocalSafetyClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LexiconVersionTest {
  /**
   * The digest of the word lists released as {@link LocalSafetyClassifier#LEXICON_VERSION}. When
   * this test fails, the lists changed: bump LEXICON_VERSION and record the new digest here.
   */
  private static final String RELEASED_DIGEST =
      "dce4417a7fa890b057dfc36713e5d9016d0557c53d56878ec5f047c902b51e98";

  @Test
  void wordListsMatchTheReleasedLexiconVersion() throws Exception {
    // Resolve through a file: the test classes share the package directory name.
    Path dir =
        Path.of(LocalSafetyClassifier.class.getResource("/dev/storymagic/safety/allow.txt").toURI())
            .getParent();
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        sha.update(file.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update(Files.readAllBytes(file));
      }
    }
    assertThat(java.util.HexFormat.of().formatHex(sha.digest()))
        .as(
            "the word lists changed: bump LocalSafetyClassifier.LEXICON_VERSION (now %s) and RELEASED_DIGEST",
            LocalSafetyClassifier.LEXICON_VERSION)
        .isEqualTo(RELEASED_DIGEST);
  }

  @Test
  void customisedClassifiersReportTheirOwnVersion() {
    String builtIn = LocalSafetyClassifier.create().version();
    String custom =
        LocalSafetyClassifier.builder()
            .term(SafetyCategory.PROFANITY, Severity.LOW, "drat")
            .build()
            .version();
    String other = LocalSafetyClassifier.builder().allow("drat").build().version();
    assertThat(builtIn).isEqualTo("local-" + LocalSafetyClassifier.LEXICON_VERSION);
    assertThat(custom).startsWith(builtIn + "+").isNotEqualTo(other);
  }
}
