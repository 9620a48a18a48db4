package dev.storymagic.internal.offline;

import dev.storymagic.AgeGroup;
import dev.storymagic.internal.Words;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine's story material, read once from {@code dev/storymagic/offline/themes.txt}, {@code
 * story.txt} and {@code traits.txt} on the class path and checked as it loads: every theme and age
 * group has every key it needs, and every slot a pattern uses is one the engine fills.
 */
final class Content {
  static final String GENERIC = "generic";

  /** Someone in a story the engine invents: a name and a noun-phrase description. */
  record Persona(String name, String description) {}

  /** One coherent problem and its solution; the young variants are for ages 3-5. */
  record Quest(
      Line title,
      Line issue,
      Line issueYoung,
      Line goal,
      Line goalYoung,
      Line clue,
      Line clueYoung,
      Line fix,
      Line fixYoung,
      Line happy,
      Line happyYoung) {}

  /** Everything the engine knows about one theme. */
  record ThemeContent(
      String id,
      Line topic,
      List<Line> places,
      List<Line> waypoints,
      List<Line> details,
      List<Line> richDetails,
      List<Line> refrains,
      List<Persona> helpers,
      List<Persona> buddies,
      List<Line> treats,
      List<Line> titles,
      List<Line> ends,
      boolean calm,
      List<Quest> quests,
      List<Quest> portableQuests,
      List<Line> decoys,
      List<Line> critters,
      List<Line> complications) {}

  /**
   * The sentence patterns for one age group, by key, with the age-independent pools behind them.
   */
  record Arc(AgeGroup ageGroup, Map<String, List<Line>> lines, Map<String, List<Line>> shared) {
    List<Line> get(String key) {
      List<Line> own = lines.get(key);
      return own != null ? own : shared.getOrDefault(key, List.of());
    }
  }

  static final Set<String> SLOTS =
      Words.setOf(
          """
          hero friend friends others name desc pred sub obj pos self at_first place at_place
          waypoint helper helper_desc topic topic_desc topic_title issue goal clue fix happy quest
          moral idea tname tsub tobj tpos other fsub fpos snack decoy critter critter_fix
          critter_short obstacle
          """);

  /** The keys a block of the content files must hold (checked in this order), and those it may. */
  private record Keys(List<String> required, Set<String> optional) {
    boolean known(String key) {
      return required.contains(key) || optional.contains(key);
    }
  }

  private static final Keys THEME_KEYS =
      new Keys(
          Words.listOf("topic place waypoint detail detail.o refrain helper buddy treat title"),
          Words.setOf("end calm decoy critter complication"));
  private static final Keys QUEST_KEYS =
      new Keys(
          Words.listOf("title issue issue.y goal clue fix fix.y happy"),
          Words.setOf("goal.y clue.y happy.y anywhere"));

  /**
   * The keys the writer asks for, which each age block or the shared block must have, and those it
   * asks for only when present.
   */
  private static final Keys ARC_KEYS =
      new Keys(
          Words.listOf(
              """
              open intro buddy nodesc together idea arrive neutral waypoint.any day problem react
              want go.only go.first go.next go.last look friend miss complication complication.after
              lead lead.after lead.learn decoy critter snack obstacle moment.setup moment.turn
              moment.after honesty.setup honesty.after honesty.turn honesty.payoff sharing.setup
              sharing.turn sharing.payoff kindness.setup kindness.turn kindness.payoff courage.setup
              courage.turn courage.payoff patience.setup patience.turn patience.payoff
              perseverance.setup perseverance.turn perseverance.payoff teamwork.setup teamwork.turn
              teamwork.payoff difference.setup difference.turn difference.payoff meet advice fix
              happy home plan travel reflect topic moral.any.close end title
              """),
          Words.setOf("moral.noun.close moral.verb.close moral.clause.close cheer intro.np"));

  static final String SHARED = "all";

  private static final Content INSTANCE =
      new Content(read("themes.txt"), read("story.txt"), read("traits.txt"));

  final Map<String, ThemeContent> themes;
  final Map<AgeGroup, Arc> arcs;
  private final Traits traits;

  private Content(List<String> themeLines, List<String> arcLines, List<String> traitLines) {
    this.themes = parseThemes(themeLines);
    this.arcs = parseArcs(arcLines);
    this.traits = Traits.parse(traitLines, Content::checkSlots);
  }

  static Content get() {
    return INSTANCE;
  }

  Traits traits() {
    return traits;
  }

  ThemeContent theme(String id) {
    ThemeContent t = themes.get(id);
    return t != null ? t : themes.get(GENERIC);
  }

  boolean knows(String themeId) {
    return !GENERIC.equals(themeId) && themes.containsKey(themeId);
  }

  Arc arc(AgeGroup ageGroup) {
    return arcs.get(ageGroup);
  }

  private static List<String> read(String name) {
    String path = "/dev/storymagic/offline/" + name;
    try (InputStream in = Content.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(
            "offline story content is missing from the class path: " + path);
      }
      List<String> lines = new ArrayList<>();
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          lines.add(line);
        }
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read offline story content " + path, e);
    }
  }

  private static Map<String, ThemeContent> parseThemes(List<String> lines) {
    Map<String, ThemeContent> out = new LinkedHashMap<>();
    String themeId = null;
    Map<String, List<String>> theme = null;
    List<Map<String, List<String>>> quests = new ArrayList<>();
    Map<String, List<String>> quest = null;
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = "themes.txt line " + (n + 1);
      if (line.startsWith("theme ")) {
        if (themeId != null) {
          out.put(themeId, buildTheme(themeId, theme, quests));
        }
        themeId = line.substring(6).strip();
        theme = new LinkedHashMap<>();
        quests = new ArrayList<>();
        quest = null;
      } else if (line.equals("quest")) {
        requireState(themeId != null, where + ": quest outside a theme");
        quest = new LinkedHashMap<>();
        quests.add(quest);
      } else {
        requireState(themeId != null, where + ": entry outside a theme");
        int colon = line.indexOf(':');
        requireState(colon > 0, where + ": expected 'key: value'");
        String key = line.substring(0, colon).strip();
        String value = line.substring(colon + 1).strip();
        requireState(!value.isEmpty(), where + ": empty value for " + key);
        if (quest != null) {
          requireState(QUEST_KEYS.known(key), where + ": unknown quest key " + key);
          requireState(!quest.containsKey(key), where + ": quest key given twice: " + key);
          quest.put(key, List.of(value));
        } else {
          requireState(THEME_KEYS.known(key), where + ": unknown theme key " + key);
          theme.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        if (!key.equals("helper") && !key.equals("buddy")) {
          checkSlots(value, where);
        }
      }
    }
    if (themeId != null) {
      out.put(themeId, buildTheme(themeId, theme, quests));
    }
    requireState(out.containsKey(GENERIC), "themes.txt has no '" + GENERIC + "' theme");
    return Collections.unmodifiableMap(out);
  }

  private static ThemeContent buildTheme(
      String id, Map<String, List<String>> t, List<Map<String, List<String>>> questMaps) {
    for (String key : THEME_KEYS.required()) {
      requireState(t.containsKey(key), "themes.txt: theme " + id + " has no " + key);
    }
    requireState(!questMaps.isEmpty(), "themes.txt: theme " + id + " has no quest");
    List<Quest> quests = new ArrayList<>();
    List<Quest> portable = new ArrayList<>();
    for (Map<String, List<String>> q : questMaps) {
      for (String key : QUEST_KEYS.required()) {
        requireState(q.containsKey(key), "themes.txt: a quest of theme " + id + " has no " + key);
      }
      Quest quest =
          new Quest(
              line(q, "title"),
              line(q, "issue"),
              line(q, "issue.y"),
              line(q, "goal"),
              line(q, q.containsKey("goal.y") ? "goal.y" : "goal"),
              line(q, "clue"),
              line(q, q.containsKey("clue.y") ? "clue.y" : "clue"),
              line(q, "fix"),
              line(q, "fix.y"),
              line(q, "happy"),
              line(q, q.containsKey("happy.y") ? "happy.y" : "happy"));
      quests.add(quest);
      if (q.containsKey("anywhere")) {
        requireState(
            q.get("anywhere").get(0).equals("yes"),
            "themes.txt: theme " + id + ": anywhere must be yes");
        portable.add(quest);
      }
    }
    requireState(
        !portable.isEmpty(), "themes.txt: theme " + id + " has no quest that can happen anywhere");
    return new ThemeContent(
        id,
        Line.compile(t.get("topic").get(0)),
        lines(t, "place"),
        lines(t, "waypoint"),
        lines(t, "detail"),
        lines(t, "detail.o"),
        lines(t, "refrain"),
        personas(id, t.get("helper")),
        personas(id, t.get("buddy")),
        lines(t, "treat"),
        lines(t, "title"),
        lines(t, "end"),
        t.containsKey("calm") && t.get("calm").get(0).equals("yes"),
        List.copyOf(quests),
        List.copyOf(portable),
        lines(t, "decoy"),
        lines(t, "critter"),
        lines(t, "complication"));
  }

  private static Line line(Map<String, List<String>> map, String key) {
    return Line.compile(map.get(key).get(0));
  }

  private static List<Line> lines(Map<String, List<String>> map, String key) {
    List<Line> out = new ArrayList<>();
    for (String s : map.getOrDefault(key, List.of())) {
      out.add(Line.compile(s));
    }
    return List.copyOf(out);
  }

  private static List<Persona> personas(String themeId, List<String> values) {
    List<Persona> out = new ArrayList<>();
    for (String v : values) {
      int bar = v.indexOf('|');
      requireState(
          bar > 0, "themes.txt: theme " + themeId + ": expected 'Name | description': " + v);
      // a persona's description is read for pronouns and traits as it is written: no choices or
      // slots
      requireState(
          v.indexOf('[') < 0 && v.indexOf('{') < 0,
          "themes.txt: theme "
              + themeId
              + ": a helper or buddy cannot hold [choices] or {slots}: "
              + v);
      out.add(new Persona(v.substring(0, bar).strip(), v.substring(bar + 1).strip()));
    }
    return List.copyOf(out);
  }

  private static Map<AgeGroup, Arc> parseArcs(List<String> lines) {
    Map<AgeGroup, Map<String, List<Line>>> byAge = new EnumMap<>(AgeGroup.class);
    Map<String, List<Line>> shared = new LinkedHashMap<>();
    Map<String, List<Line>> current = null;
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = "story.txt line " + (n + 1);
      if (line.equals("age " + SHARED)) {
        current = shared;
        continue;
      }
      if (line.startsWith("age ")) {
        String label = line.substring(4).strip();
        AgeGroup age =
            AgeGroup.parse(label)
                .orElseThrow(
                    () -> new IllegalStateException(where + ": unknown age group " + label));
        current = new LinkedHashMap<>();
        byAge.put(age, current);
        continue;
      }
      requireState(current != null, where + ": entry outside an age block");
      int colon = line.indexOf(':');
      requireState(colon > 0, where + ": expected 'key: value'");
      String key = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      requireState(ARC_KEYS.known(key), where + ": unknown key " + key);
      checkSlots(value, where);
      current.computeIfAbsent(key, k -> new ArrayList<>()).add(Line.compile(value));
    }
    Map<AgeGroup, Arc> out = new EnumMap<>(AgeGroup.class);
    Map<String, List<Line>> sharedFrozen = new LinkedHashMap<>();
    shared.forEach((k, v) -> sharedFrozen.put(k, List.copyOf(v)));
    for (AgeGroup age : AgeGroup.values()) {
      Map<String, List<Line>> m = byAge.get(age);
      requireState(m != null, "story.txt has no block for ages " + age.label());
      for (String key : ARC_KEYS.required()) {
        requireState(
            m.containsKey(key) || shared.containsKey(key),
            "story.txt: ages " + age.label() + " have no " + key);
      }
      Map<String, List<Line>> frozen = new LinkedHashMap<>();
      m.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
      out.put(
          age,
          new Arc(
              age, Collections.unmodifiableMap(frozen), Collections.unmodifiableMap(sharedFrozen)));
    }
    return Collections.unmodifiableMap(out);
  }

  private static void checkSlots(String value, String where) {
    Line compiled;
    try {
      compiled = Line.compile(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(where + ": " + e.getMessage(), e);
    }
    for (String slot : compiled.slotNames()) {
      requireState(SLOTS.contains(slot), where + ": unknown slot {" + slot + "}");
    }
  }

  private static void requireState(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException("offline story content: " + message);
    }
  }
}
