package dev.storymagic.internal.offline;

import dev.storymagic.AgeGroup;
import dev.storymagic.StoryCharacter;
import dev.storymagic.StoryRequest;
import dev.storymagic.Theme;
import dev.storymagic.WordBand;
import dev.storymagic.internal.Readability;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes one story from one random stream. Not thread-safe; one instance per attempt.
 *
 * <p>The story is planned as paragraphs of sentences, each marked required or optional: a
 * beginning (the setting and every character), the problem, episodes of trying (one per
 * paragraph, each led by a different friend), meeting a helper who points to the answer, the
 * resolution, and a closing with the moral. Required sentences always appear; episodes and optional
 * sentences are added while the story stays under a word target drawn inside the requested band.
 */
final class StoryWriter {
  private static final int MAX_EPISODES = 14;
  private static final Set<String> IDEA_LOWER = Set.of("a", "an", "the", "some", "my", "our", "when", "what",
      "how", "about", "that", "there", "it", "we", "they", "maybe", "once", "one", "two", "three", "to", "if");
  private static final List<String> DEFAULT_MORALS = List.of("kindness", "teamwork", "helping others",
      "being brave", "patience", "friends help each other", "never give up", "always be kind");

  /** A sentence or two, with its word count and whether it may be left out (0 = required). */
  private static final class Unit {
    final String text;
    final int words;
    final int priority;
    boolean included;

    Unit(String text, int priority) {
      this.text = text;
      this.words = Readability.wordCount(text);
      this.priority = priority;
      this.included = priority == 0;
    }
  }

  private static final class Paragraph {
    final List<Unit> units = new ArrayList<>();

    Unit add(String text, int priority) {
      Unit u = new Unit(text, priority);
      units.add(u);
      return u;
    }

    int words(boolean all) {
      int n = 0;
      for (Unit u : units) {
        if (all || u.included) {
          n += u.words;
        }
      }
      return n;
    }
  }

  private final Content.Arc arc;
  private final Content.ThemeContent theme;
  private final AgeGroup age;
  private final boolean young;
  private final boolean oldest;
  private final WordBand band;
  private final SplittableRandom random;
  private final StoryRequest request;
  private final Theme requestTheme;
  private final Map<String, String> slots = new HashMap<>();
  private final Map<String, Deck<Line>> decks = new HashMap<>();
  private final List<CastMember> cast = new ArrayList<>();
  private final List<String> others = new ArrayList<>();
  private int friendTurn;
  private Deck<Line> details;
  private Deck<Line> waypoints;
  private Moral moral;
  /** For ages 3-5, the second half of a long helper description, as its own sentence. */
  private String helperMore = "";

  /**
   * 0 normally; each step up makes every choice of sentence the plainer of one more candidate, to
   * bring a story whose reading grade came out too high back into its band.
   */
  private final int plainness;

  StoryWriter(Content content, StoryRequest request, Theme theme, WordBand band, SplittableRandom random,
      int plainness) {
    this.plainness = plainness;
    this.request = request;
    this.requestTheme = theme;
    this.age = request.ageGroup();
    this.young = age == AgeGroup.AGES_3_5;
    this.oldest = age == AgeGroup.AGES_9_12;
    this.arc = content.arc(age);
    this.theme = content.theme(theme.id());
    this.band = band;
    this.random = random;
  }

  OfflineStoryEngine.Draft write() {
    setUp();
    Paragraph opening = opening();
    Paragraph problem = problem();
    Paragraph helper = helper();
    Paragraph resolution = resolution();
    Paragraph closing = closing();
    List<Paragraph> fixed = List.of(opening, problem, helper, resolution, closing);
    List<Paragraph> episodes = new ArrayList<>();

    int target = band.min() + (int) ((band.max() - band.min()) * (0.35 + 0.3 * random.nextDouble()));
    int margin = Math.max(3, (band.max() - band.min()) / 25);
    // a story whose grade came out too high leaves out optional sentences harder than its band, and
    // may use the whole band for plain ones
    double gradeCap = plainness == 0 ? Double.MAX_VALUE : age.maxReadingGrade();
    if (plainness > 0) {
      target = Math.max(target, band.max() - margin);
    }
    int words = 0;
    for (Paragraph p : fixed) {
      words += p.words(false);
    }
    // the most important optional sentences first: they carry the arc (feelings, the moral, the end)
    words = include(fixed, 1, words, target, gradeCap);
    // then episodes of trying, while they fit under the target
    while (episodes.size() < MAX_EPISODES) {
      Paragraph episode = episode();
      int w = episode.words(true);
      if (words + w > target) {
        if (episodes.isEmpty() && words + episode.words(false) <= band.max() - margin) {
          episodes.add(episode); // every story has at least one try, if only its required lines
          words += episode.words(false);
        }
        break;
      }
      episode.units.forEach(u -> u.included = true);
      episodes.add(episode);
      words += w;
    }
    words = include(fixed, 2, words, target, gradeCap);
    // a story still short of its band gets more, as long as it stays inside
    int floor = band.min() + margin;
    for (int priority = 1; priority <= 2 && words < floor; priority++) {
      words = include(concat(fixed, episodes), priority, words, Math.min(floor, band.max() - margin), gradeCap);
    }
    while (words < floor && episodes.size() < MAX_EPISODES) {
      Paragraph episode = episode();
      if (words + episode.words(false) > band.max() - margin) {
        break;
      }
      episodes.add(episode);
      words += episode.words(false);
    }

    List<String> paragraphs = new ArrayList<>();
    addParagraph(paragraphs, opening);
    addParagraph(paragraphs, problem);
    episodes.forEach(e -> addParagraph(paragraphs, e));
    addParagraph(paragraphs, helper);
    addParagraph(paragraphs, resolution);
    addParagraph(paragraphs, closing);
    return new OfflineStoryEngine.Draft(title(), paragraphs);
  }

  /** Includes optional sentences of the given priority, in story order, while the total stays within limit. */
  private static int include(List<Paragraph> paragraphs, int priority, int words, int limit, double gradeCap) {
    for (Paragraph p : paragraphs) {
      for (Unit u : p.units) {
        if (!u.included && u.priority == priority && words + u.words <= limit
            && (gradeCap == Double.MAX_VALUE || Readability.fleschKincaidGrade(u.text) <= gradeCap)) {
          u.included = true;
          words += u.words;
        }
      }
    }
    return words;
  }

  private static List<Paragraph> concat(List<Paragraph> a, List<Paragraph> b) {
    List<Paragraph> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static void addParagraph(List<String> out, Paragraph p) {
    StringBuilder sb = new StringBuilder();
    for (Unit u : p.units) {
      if (u.included) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(u.text);
      }
    }
    if (sb.length() > 0) {
      out.add(sb.toString());
    }
  }

  // ---- set-up: cast, setting, quest, moral ----

  private void setUp() {
    String topic;
    String topicDesc = Text.lowerLeadingIfWord(Text.clean(requestTheme.description()));
    String topicTitle = Text.clean(requestTheme.displayName());
    if (theme.id().equals(Content.GENERIC)) {
      topic = Text.lowerLeadingIfWord(topicTitle);
    } else {
      topic = theme.topic().fill(Map.of());
    }
    slots.put("topic", topic);
    slots.put("topic_desc", topicDesc.isEmpty() ? topic : topicDesc);
    slots.put("topic_title", topicTitle.isEmpty() ? "Story" : Text.titleCase(topicTitle));

    for (StoryCharacter c : request.characters()) {
      cast.add(CastMember.of(c.name(), c.description()));
    }
    Set<String> taken = new java.util.HashSet<>();
    cast.forEach(m -> taken.add(m.name().toLowerCase(Locale.ROOT)));
    List<Content.Persona> buddies = unused(theme.buddies(), taken);
    while (cast.size() < 2 && !buddies.isEmpty()) {
      Content.Persona p = buddies.remove(random.nextInt(buddies.size()));
      cast.add(CastMember.invented(p));
      taken.add(p.name().toLowerCase(Locale.ROOT));
    }
    CastMember hero = cast.get(0);
    slots.put("hero", hero.name());
    slots.put("sub", hero.pronouns().subject());
    slots.put("obj", hero.pronouns().object());
    slots.put("pos", hero.pronouns().possessive());
    List<String> names = new ArrayList<>();
    cast.forEach(m -> names.add(m.name()));
    for (int i = 1; i < cast.size(); i++) {
      others.add(cast.get(i).name());
    }
    slots.put("friends", Text.list(names));
    slots.put("others", Text.list(others));
    friendTurn = random.nextInt(others.size());
    slots.put("friend", others.get(friendTurn));

    List<Content.Persona> helpers = unused(theme.helpers(), taken);
    Content.Persona helper = helpers.isEmpty() ? theme.helpers().get(0) : helpers.get(random.nextInt(helpers.size()));
    slots.put("helper", helper.name());
    slots.put("helper_desc", helper.description());
    if (young) {
      String[] split = CastMember.splitNounPhrase(helper.description());
      if (split.length == 2) {
        slots.put("helper_desc", split[0]);
        helperMore = helper.name() + " " + split[1] + ".";
      }
    }

    Setting setting = Setting.of(request.setting()
        .orElseGet(() -> pick(theme.places()).fill(slots)));
    slots.put("at_first", setting.atFirst());
    slots.put("place", setting.place());
    slots.put("at_place", setting.atPlace());

    Content.Quest quest = theme.quests().get(random.nextInt(theme.quests().size()));
    slots.put("quest", Text.titleCase(quest.title().fill(slots)));
    slots.put("issue", (young ? quest.issueYoung() : quest.issue()).fill(slots));
    slots.put("goal", (young ? quest.goalYoung() : quest.goal()).fill(slots));
    slots.put("clue", (young ? quest.clueYoung() : quest.clue()).fill(slots));
    slots.put("fix", (young ? quest.fixYoung() : quest.fix()).fill(slots));
    slots.put("happy", (young ? quest.happyYoung() : quest.happy()).fill(slots));

    String rawMoral = request.moral().orElseGet(() -> DEFAULT_MORALS.get(random.nextInt(DEFAULT_MORALS.size())));
    moral = Moral.of(rawMoral, hero.pronouns());
    if (moral.text().isEmpty()) {
      moral = Moral.of("kindness", hero.pronouns());
    }
    request.idea().map(i -> Text.lowerLeading(Text.clean(i), IDEA_LOWER)).filter(i -> !i.isEmpty())
        .ifPresent(i -> slots.put("idea", i));

    List<Line> detailLines = new ArrayList<>();
    if (oldest) {
      detailLines.addAll(theme.richDetails());
    } else if (!young) {
      for (Line l : theme.richDetails()) {
        if (Readability.wordCount(l.toString()) <= age.targetSentenceWords()) {
          detailLines.add(l);
        }
      }
    }
    detailLines.addAll(theme.details());
    details = new Deck<>(detailLines, random);
    waypoints = new Deck<>(theme.waypoints(), random);
  }

  private static List<Content.Persona> unused(List<Content.Persona> personas, Set<String> taken) {
    List<Content.Persona> out = new ArrayList<>();
    for (Content.Persona p : personas) {
      if (!taken.contains(p.name().toLowerCase(Locale.ROOT))) {
        out.add(p);
      }
    }
    return out;
  }

  // ---- sections ----

  private Paragraph opening() {
    Paragraph p = new Paragraph();
    p.add(line("open"), 0);
    CastMember hero = cast.get(0);
    p.add(introduce(hero, false), 0);
    if (young) {
      p.add(render(pick(theme.refrains())), 2);
    }
    p.add(detail(), 1);
    for (int i = 1; i < cast.size(); i++) {
      CastMember m = cast.get(i);
      boolean invented = i >= request.characters().size();
      p.add(introduce(m, invented), 0);
    }
    p.add(line("together"), 1);
    p.add(detail(), 2);
    if (slots.containsKey("idea")) {
      p.add(line("idea"), 0);
    }
    return p;
  }

  private String introduce(CastMember m, boolean invented) {
    slots.put("name", m.name());
    slots.put("pred", m.predicate());
    slots.put("desc", m.nounPhrase());
    String more = "";
    if (young && !m.nounPhrase().isEmpty()) {
      // "Orbit was a moon bear who knew every star" reads better to the youngest as two sentences
      String[] split = CastMember.splitNounPhrase(m.nounPhrase());
      if (split.length == 2) {
        slots.put("desc", split[0]);
        slots.put("pred", "was " + split[0]);
        more = " " + m.name() + " " + split[1] + ".";
      }
    }
    if (invented && !m.nounPhrase().isEmpty()) {
      return line("buddy") + more;
    }
    return (m.predicate().isEmpty() ? line("nodesc") : line("intro")) + more;
  }

  private Paragraph problem() {
    Paragraph p = new Paragraph();
    p.add(line("day"), 1);
    p.add(line("problem"), 0);
    p.add(line("react"), 1);
    p.add(line("want"), 0);
    addPlainRefrain(p);
    return p;
  }

  /**
   * One try: going somewhere, looking, a friend's part, not there yet. Optional lines come with a
   * chance, so episodes differ in shape; the friend's line always does, so every friend gets a turn.
   */
  private Paragraph episode() {
    nextFriend();
    slots.put("waypoint", waypoints.draw().fill(slots));
    Paragraph p = new Paragraph();
    p.add(line("go"), 0);
    if (young && random.nextInt(3) > 0) {
      p.add(render(pick(theme.refrains())), 1);
    }
    if (random.nextInt(4) > 0) {
      p.add(detail(), 1);
    }
    p.add(line("act"), 0);
    if (!theme.calm() && !arc.get("suspense").isEmpty() && random.nextInt(2) == 0) {
      p.add(line("suspense"), 1);
    }
    p.add(line("friend"), 1);
    p.add(line("miss"), 0);
    return p;
  }

  private Paragraph helper() {
    nextFriend();
    Paragraph p = new Paragraph();
    String meet = line("meet");
    p.add(helperMore.isEmpty() ? meet : meet + " " + helperMore, 0);
    p.add(line("advice"), 0);
    p.add(detail(), 2);
    p.add(line("found"), 0);
    p.add(moralLine("mid"), 2);
    return p;
  }

  private Paragraph resolution() {
    Paragraph p = new Paragraph();
    p.add(line("fix"), 0);
    p.add(line("happy"), 0);
    addPlainRefrain(p);
    p.add(line("home"), 1);
    p.add(render(pick(theme.treats())), 1);
    return p;
  }

  private Paragraph closing() {
    Paragraph p = new Paragraph();
    p.add(moralLine("close"), 0);
    if (!theme.ends().isEmpty()) {
      p.add(render(pick(theme.ends())), 0);
    } else {
      p.add(line("end"), 1);
    }
    return p;
  }

  /** For the youngest, when plainer prose is needed: one more short, repeated line. */
  private void addPlainRefrain(Paragraph p) {
    if (young && plainness > 0) {
      p.add(render(pick(theme.refrains())), 1);
    }
  }

  private String moralLine(String where) {
    List<Line> pool = new ArrayList<>();
    String text = moral.text();
    if (moral.kind() != Moral.Kind.ANY) {
      List<Line> specific = arc.get("moral." + moral.kind().key + "." + where);
      boolean usable = moral.kind() != Moral.Kind.VERB || !where.equals("mid") || !moral.forHero().isEmpty();
      if (usable) {
        pool.addAll(specific);
        if (moral.kind() == Moral.Kind.VERB && where.equals("mid")) {
          text = moral.forHero();
        }
      }
    }
    if (pool.isEmpty() || where.equals("close")) {
      pool.addAll(arc.get("moral.any." + where));
    }
    slots.put("moral", text);
    return render(pool.get(random.nextInt(pool.size())));
  }

  private String title() {
    List<Line> pool = new ArrayList<>(theme.titles());
    pool.addAll(arc.get("title"));
    return Text.capitalize(render(pool.get(random.nextInt(pool.size()))));
  }

  // ---- helpers ----

  private void nextFriend() {
    friendTurn = (friendTurn + 1) % others.size();
    slots.put("friend", others.get(friendTurn));
  }

  private String detail() {
    return plainest(details);
  }

  private String line(String key) {
    return plainest(decks.computeIfAbsent(key, k -> new Deck<>(arc.get(k), random)));
  }

  /** The next line from the deck, or with {@link #plainness} above 0 the plainest of several. */
  private String plainest(Deck<Line> deck) {
    String best = render(deck.draw());
    if (plainness == 0) {
      return best;
    }
    double bestGrade = Readability.fleschKincaidGrade(best);
    for (int i = 0; i < plainness; i++) {
      String other = render(deck.draw());
      double grade = Readability.fleschKincaidGrade(other);
      if (grade < bestGrade) {
        best = other;
        bestGrade = grade;
      }
    }
    return best;
  }

  private Line pick(List<Line> lines) {
    return lines.get(random.nextInt(lines.size()));
  }

  private String render(Line line) {
    return line.render(slots);
  }
}
