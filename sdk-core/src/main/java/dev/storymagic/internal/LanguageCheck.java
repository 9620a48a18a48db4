package dev.storymagic.internal;

import java.lang.Character.UnicodeScript;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a story plainly written in another language than the one asked for. Deliberately
 * conservative: it only speaks when the evidence is overwhelming (most letters in another script,
 * or a text full of another language's function words and nearly none of the requested one's), so a
 * story with a few foreign names or words always passes. Languages it knows nothing about are never
 * judged. Not API.
 */
final class LanguageCheck {
  private LanguageCheck() {}

  /** Too few words to judge by function words. */
  private static final int MIN_WORDS = 25;

  /** The commonest function words of a few Latin-script languages, chosen to overlap little. */
  private static final Map<String, Set<String>> FUNCTION_WORDS =
      Map.of(
          "en",
              Set.of(
                  "the", "and", "was", "were", "she", "he", "they", "her", "his", "with", "of",
                  "to", "in", "it", "is", "that", "said", "had", "you", "for", "on"),
          "es",
              Set.of(
                  "el", "los", "las", "y", "que", "en", "un", "una", "con", "por", "para", "es",
                  "era", "se", "su", "dijo", "del", "al", "muy"),
          "fr",
              Set.of(
                  "le", "les", "et", "une", "des", "du", "est", "était", "il", "elle", "dans",
                  "pour", "avec", "qui", "sur", "pas", "au", "dit"),
          "de",
              Set.of(
                  "der", "die", "das", "und", "ein", "eine", "ist", "war", "er", "sie", "mit",
                  "nicht", "zu", "den", "dem", "auf", "sich", "auch", "im"),
          "pt",
              Set.of(
                  "o", "os", "e", "um", "uma", "que", "com", "não", "para", "ele", "ela", "do",
                  "da", "em", "no", "na", "disse"),
          "it",
              Set.of(
                  "il", "lo", "gli", "e", "un", "una", "che", "con", "non", "per", "era", "di",
                  "del", "della", "è", "nel", "si", "sono"),
          "nl",
              Set.of(
                  "het", "een", "en", "van", "is", "was", "hij", "zij", "niet", "met", "op", "te",
                  "dat", "die", "voor", "naar", "ook", "maar"));

  /** Each function word with the languages it is one of, so that a word is looked up once. */
  private static final Map<String, List<String>> LANGUAGES_OF_WORD = languagesOfWord();

  private static Map<String, List<String>> languagesOfWord() {
    Map<String, List<String>> languages = new HashMap<>();
    FUNCTION_WORDS.forEach(
        (language, words) ->
            words.forEach(w -> languages.computeIfAbsent(w, k -> new ArrayList<>()).add(language)));
    languages.replaceAll((word, of) -> List.copyOf(of));
    return Map.copyOf(languages);
  }

  /** The script most of the letters of a language are written in. */
  private static final Map<String, UnicodeScript> SCRIPTS =
      Map.ofEntries(
          Map.entry("ru", UnicodeScript.CYRILLIC), Map.entry("uk", UnicodeScript.CYRILLIC),
          Map.entry("bg", UnicodeScript.CYRILLIC), Map.entry("el", UnicodeScript.GREEK),
          Map.entry("ar", UnicodeScript.ARABIC), Map.entry("fa", UnicodeScript.ARABIC),
          Map.entry("he", UnicodeScript.HEBREW), Map.entry("hi", UnicodeScript.DEVANAGARI),
          Map.entry("th", UnicodeScript.THAI), Map.entry("ko", UnicodeScript.HANGUL),
          Map.entry("zh", UnicodeScript.HAN), Map.entry("ja", UnicodeScript.HAN));

  /** Why {@code text} is not in {@code languageTag}, or empty when it may well be. */
  static Optional<String> mismatch(String text, String languageTag) {
    String language = languageTag.split("-", 2)[0].toLowerCase(Locale.ROOT);
    UnicodeScript expected =
        FUNCTION_WORDS.containsKey(language) ? UnicodeScript.LATIN : SCRIPTS.get(language);
    if (expected == null) {
      return Optional.empty();
    }
    int letters = 0;
    int inScript = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetter(cp)) {
        letters++;
        // An ASCII letter is Latin: no look-up in the script table for most of a Latin text.
        UnicodeScript script = cp < 0x80 ? UnicodeScript.LATIN : UnicodeScript.of(cp);
        // Japanese mixes kana with kanji.
        if (script == expected
            || (language.equals("ja")
                && (script == UnicodeScript.HIRAGANA || script == UnicodeScript.KATAKANA))) {
          inScript++;
        }
      }
    }
    if (letters > 0 && inScript * 2 < letters) {
      return Optional.of(
          "most of the text is not in the "
              + expected.name().toLowerCase(Locale.ROOT)
              + " script that '"
              + languageTag
              + "' is written in");
    }
    if (!FUNCTION_WORDS.containsKey(language)) {
      return Optional.empty();
    }
    // Words are the runs of letters of the lower-cased text.
    String lower = text.toLowerCase(Locale.ROOT);
    int total = 0;
    int own = 0;
    Map<String, Integer> others = new HashMap<>();
    int start = -1;
    for (int i = 0; i <= lower.length(); ) {
      int cp = i < lower.length() ? lower.codePointAt(i) : ' ';
      boolean letter = i < lower.length() && Character.isLetter(cp);
      if (letter && start < 0) {
        start = i;
      } else if (!letter && start >= 0) {
        total++;
        for (String of : LANGUAGES_OF_WORD.getOrDefault(lower.substring(start, i), List.of())) {
          if (of.equals(language)) {
            own++;
          } else {
            others.merge(of, 1, Integer::sum);
          }
        }
        start = -1;
      }
      i += i < lower.length() ? Character.charCount(cp) : 1;
    }
    if (total < MIN_WORDS) {
      return Optional.empty();
    }
    Optional<Map.Entry<String, Integer>> best =
        others.entrySet().stream().max(Map.Entry.comparingByValue());
    if (best.isPresent()
        && best.get().getValue() * 8 >= total
        && best.get().getValue() > 4 * Math.max(1, own)) {
      return Optional.of(
          "the text reads as '"
              + best.get().getKey()
              + "', not the requested '"
              + languageTag
              + "'");
    }
    return Optional.empty();
  }
}
