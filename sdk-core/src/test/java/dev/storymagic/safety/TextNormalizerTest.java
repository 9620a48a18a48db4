package dev.storymagic.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.internal.safety.NormalizedText;
import dev.storymagic.internal.safety.TextNormalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextNormalizerTest {

  private static String fold(String text) {
    return TextNormalizer.normalize(text, false).text();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Hello World|hello world",
        "k1ll|kill",
        "ki11|kill",
        "k1ll1ng|killing",
        "s3x|sex",
        "p0rn|porn",
        "a$$hole|asshole",
        "sh!t|shit",
        "@ss|ass",
        "f*ck|fck",
        "f**king|fking",
        "s.e.x|sex",
        "s e x|sex",
        "k-i-l-l|kill",
        "F U C K|fuck",
        "i g n o r e   all|ignore all",
        "kiiiiill|kiill",
        "killllll|kill",
        "ｆｕｃｋ|fuck",
        "fücking|fucking",
        "Ѕеху|sexy",
        "s\u200Be\u200Dx|sex",
        "se\u00ADx|sex",
        "z\u0335a\u0335l\u0335g\u0335o|zalgo",
        "self-harm|self harm",
        "It's fine.  Really!|it's fine.really.",
        "'kill'|kill",
        "3d print|3d print",
        "5g phones|5g phones",
        "I have 3 dogs|i have 3 dogs",
        "U.S.A. trip|usa.trip"
      })
  void foldsObfuscationIntoPlainLowerCaseWords(String raw, String folded) {
    assertThat(fold(raw)).isEqualTo(folded);
  }

  @Test
  void squeezingEmphasisLeavesOneLetterOfEachLongRun() {
    assertThat(TextNormalizer.normalize("fuuuuuck", true).text()).isEqualTo("fuck");
    assertThat(TextNormalizer.normalize("shiiiit", true).text()).isEqualTo("shit");
    assertThat(TextNormalizer.normalize("good book", true).text()).isEqualTo("good book");
  }

  @Test
  void ordinaryWordsWithDoubleLettersAndSingleLetterWordsAreKept() {
    assertThat(fold("A cool balloon floated up.")).isEqualTo("a cool balloon floated up.");
    assertThat(fold("I saw a bee")).isEqualTo("i saw a bee");
  }

  @Test
  void everyFoldedCharacterPointsBackAtTheTextItCameFrom() {
    String raw = "Oh, k\u200B1\u200Bl l? no: \uFF46\uFF55\uFF43\uFF4B!";
    NormalizedText folded = TextNormalizer.normalize(raw, false);
    String text = folded.text();
    int k = text.indexOf("ki");
    assertThat(raw.substring(folded.sourceStart(k), folded.sourceEnd(k + 2)))
        .isEqualTo("k\u200B1\u200Bl");
    int f = text.indexOf("fuck");
    assertThat(raw.substring(folded.sourceStart(f), folded.sourceEnd(f + 3)))
        .isEqualTo("\uFF46\uFF55\uFF43\uFF4B");
  }

  @Test
  void spacedLettersAreJoinedOnlyInRunsOfThreeOrMore() {
    assertThat(fold("plan a b")).isEqualTo("plan a b");
    assertThat(fold("a b c d")).isEqualTo("abcd");
    assertThat(fold("k i l l them")).isEqualTo("kill them");
  }
}
