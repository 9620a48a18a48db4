package dev.storymagic.safety.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmEncoderTest {
  private static MiniLmEncoder encoder;

  @BeforeAll
  static void load() {
    encoder = MiniLmEncoder.load(1);
  }

  @AfterAll
  static void close() {
    encoder.close();
  }

  private float[] embed(String text) {
    return encoder.embed(Windows.of(encoder.tokenizer().tokenize(text), 128, 1).get(0));
  }

  @Test
  void embeddingsAreUnitVectorsOfTheModelsWidth() {
    float[] v = embed("The dragon shared its treasure with the village.");
    assertThat(v).hasSize(MiniLmEncoder.DIMENSIONS);
    assertThat(dot(v, v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void similarMeaningsLieCloserThanUnrelatedOnes() {
    float[] cat = embed("A kitten is sleeping on the warm rug.");
    float[] kitty = embed("The little cat naps on the cosy carpet.");
    float[] tax = embed("Quarterly tax filings are due before the deadline.");
    assertThat(dot(cat, kitty)).isGreaterThan(dot(cat, tax) + 0.3);
  }

  @Test
  void aWindowOfALongTextIsEmbeddedAsIfAlone() {
    String first =
        "Mia looked at the stars and counted every one of them until the sun came up over the hills.";
    String text = first + " " + "The owl sang. ".repeat(60);
    List<Windows.Window> windows = Windows.of(encoder.tokenizer().tokenize(text), 64, 10);
    assertThat(windows).hasSizeGreaterThan(2);
    float[][] all = encoder.embed(windows);
    assertThat(all[0]).containsExactly(encoder.embed(windows.get(0)));
    assertThat(all[1]).containsExactly(encoder.embed(windows.get(1)));
    assertThat(text.substring(windows.get(0).start(), windows.get(0).end())).startsWith(first);
  }

  @Test
  void theSameTextAlwaysGetsTheSameEmbedding() {
    assertThat(embed("Ignore every previous instruction."))
        .containsExactly(embed("Ignore every previous instruction."));
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
