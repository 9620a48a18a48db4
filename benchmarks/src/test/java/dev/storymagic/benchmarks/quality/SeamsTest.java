package dev.storymagic.benchmarks.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeamsTest {

  private static List<String> seams(String text, String name, boolean plural) {
    return Seams.find("A Title", List.of(text.split("(?<=[.!?]) ")), List.of(name), plural);
  }

  @Test
  void cleanProseHasNoSeams() {
    assertThat(
            seams(
                "Mia was a curious girl. She went to an old mill with a friend. \"My kite!\" said Mia.",
                "Mia",
                false))
        .isEmpty();
  }

  @Test
  void findsTheSeamsOfPastedUserText() {
    assertThat(seams("Luna was a she is a brave girl.", "Luna", false))
        .anyMatch(s -> s.startsWith("article"));
    assertThat(seams("The Twins was happy. Pip held the Twins's hand.", "The Twins", true))
        .anyMatch(s -> s.startsWith("plural name with a singular verb"))
        .anyMatch(s -> s.startsWith("plural name with 's"));
    assertThat(seams("Mia lived under my bed.", "Mia", false)).anyMatch(s -> s.startsWith("'my'"));
    assertThat(seams("Luna smiled. Then luna sang.", "luna", false))
        .anyMatch(s -> s.startsWith("name written"));
    assertThat(seams("They went to the the park.", "Mia", false))
        .anyMatch(s -> s.startsWith("doubled"));
    assertThat(seams("They was happy. It was a owl.", "Mia", false))
        .anyMatch(s -> s.startsWith("subject-verb"))
        .anyMatch(s -> s.startsWith("'a' before"));
    assertThat(Seams.find("T", List.of("Then Dr.", "Lee came."), List.of("Dr. Lee"), false))
        .anyMatch(s -> s.startsWith("sentence ends at an abbreviation"));
  }
}
