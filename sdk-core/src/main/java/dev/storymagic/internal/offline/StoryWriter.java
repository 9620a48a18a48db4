package dev.storymagic.internal.offline;

import dev.storymagic.AgeGroup;
import dev.storymagic.StoryCharacter;
import dev.storymagic.StoryLength;
import dev.storymagic.StoryRequest;
import dev.storymagic.Theme;
import dev.storymagic.WordBand;
import dev.storymagic.internal.Readability;
import dev.storymagic.internal.quality.SeamCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes one story from one random stream. Not thread-safe; one instance per draft.
 *
 * <p>The plot comes from the request. The moral picks the story's shape ({@link Moral.Family}):
 * honesty brings a fib that sends everyone the wrong way and a confession; sharing a snack that is
 * given away; kindness a small creature helped on the way, which later shows the path; and so on.
 * The moral is acted out in the middle and only named at the end. One character's trait (found in
 * their description, such as drums or stars) is shown early and is what solves the problem at the
 * end. The setting is where the adventure happens; when the request names one, the theme's own
 * places and scenery are left out, and only a problem that can happen anywhere is chosen, so
 * nothing contradicts it. A character who is one person called "they" is named where a pronoun
 * would be (the stories' "they" is the group).
 *
 * <p>Longer stories get more scenes that move the plot (a complication, a false lead that costs
 * something, a friend who needs a moment), never more searching: at most three search scenes, each
 * in a different place, their ordinal words in order. No sentence pattern is used twice in a story,
 * every choice is drawn from a pool without replacement, and every sentence passes the {@link
 * SeamCheck} before it is kept.
 */
// Cast members are compared by identity: the same person, not an equal-looking one.
@SuppressWarnings("ReferenceEquality")
final class StoryWriter {
  private static final Set<String> IDEA_LOWER =
      Set.of(
          "a", "an", "the", "some", "my", "our", "when", "what", "how", "about", "that", "there",
          "it", "we", "they", "maybe", "once", "one", "two", "three", "to", "if");
  private static final List<String> DEFAULT_MORALS =
      List.of(
          "kindness",
          "teamwork",
          "helping others",
          "being brave",
          "patience",
          "friends help each other",
          "never give up",
          "always be kind",
          "sharing",
          "telling the truth");

  /**
   * How many times a required sentence is drawn again when it comes out with a seam or as a repeat.
   */
  private static final int REDRAWS = 6;

  /**
   * A sentence or two, with its word count and whether it may be left out: 0 is required, 1 to 3
   * are optional (1 first), {@link #TRIM} is in unless the required sentences alone overrun the
   * band.
   */
  private static final class Unit {
    final String text;
    final int words;
    final int priority;
    boolean included;

    Unit(String text, int priority) {
      this.text = text;
      this.words = Readability.wordCount(text);
      this.priority = priority;
      this.included = priority == 0 || priority == TRIM;
    }
  }

  /** A sentence the story keeps unless its required sentences alone would overrun the word band. */
  private static final int TRIM = 9;

  private static final class Paragraph {
    final List<Unit> units = new ArrayList<>();

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
  private final int plainness;
  private final Map<String, String> slots = new HashMap<>();
  private final Map<String, Deck<Line>> decks = new HashMap<>();

  /**
   * Every sentence written so far (split as the quality checks split them), so none is written
   * twice.
   */
  private final Set<String> written = new HashSet<>();

  private final List<CastMember> cast = new ArrayList<>();

  /** Names whose verbs must agree in the plural ("the Twins were"). */
  private final List<String> pluralNames = new ArrayList<>();

  private final Traits traits;
  private CastMember hero;
  private CastMember traitOwner;
  private int friendTurn;
  private Deck<Line> details;
  private Deck<Line> waypoints;
  private Moral moral;
  private Content.Quest quest;
  private boolean userSetting;

  /** For ages 3-5, the second half of a long helper description, as its own sentence. */
  private String helperMore = "";

  private Paragraph current;

  /** What a story is asked for: the request, its theme and the word band to land in. */
  record Brief(StoryRequest request, Theme theme, WordBand band) {}

  /**
   * A writer of one draft of {@code brief}: {@code random} picks among the material, {@code
   * plainness} (0 for the first draft) steers later drafts of a story that read too hard towards
   * plainer sentences.
   */
  StoryWriter(Content content, Brief brief, SplittableRandom random, int plainness) {
    this.request = brief.request();
    this.requestTheme = brief.theme();
    this.band = brief.band();
    this.random = random;
    this.plainness = plainness;
    this.age = request.ageGroup();
    this.young = age == AgeGroup.AGES_3_5;
    this.oldest = age == AgeGroup.AGES_9_12;
    this.arc = content.arc(age);
    this.theme = content.theme(requestTheme.id());
    this.traits = content.traits();
  }

  OfflineStoryEngine.Draft write() {
    setUp();
    StoryLength length = request.length();
    Moral.Family family = moral.family();
    int searches =
        switch (length) {
          case SHORT -> oldest ? 2 : 1;
          case MEDIUM -> 2;
          case LONG -> 3;
        };
    boolean longer = length != StoryLength.SHORT;
    List<Paragraph> story = new ArrayList<>();

    story.add(opening());
    story.add(arrival(family == Moral.Family.SHARING));
    story.add(problem());
    if (length == StoryLength.LONG) {
      story.add(scene("plan", 1, "plan", 2));
    }
    int search = 0;
    if (searches >= 2) {
      story.add(search(++search, searches, family == Moral.Family.PATIENCE));
    }
    if (longer) {
      story.add(complication());
    }
    if (family == Moral.Family.HONESTY) {
      story.add(fib());
      story.add(beat("honesty.turn", "honesty.payoff"));
    } else if (length == StoryLength.LONG) {
      story.add(falseLead());
    }
    if (searches == 3) {
      story.add(search(++search, searches, false));
      story.add(scene("travel", 2, "travel", 3));
    }
    if (family == Moral.Family.KINDNESS) {
      story.add(kindness());
    }
    if (length == StoryLength.LONG) {
      story.add(moment());
      if (!young) {
        story.add(scene("travel", 2, "travel", 3));
      }
    }
    switch (family) {
      case PERSEVERANCE ->
          story.add(beat("perseverance.setup", "perseverance.turn", "perseverance.payoff"));
      case PATIENCE -> story.add(beat("patience.turn", "patience.payoff"));
      case DIFFERENCE -> story.add(beat("difference.setup", "difference.turn"));
      default -> {}
    }
    if (longer || oldest || family == Moral.Family.SHARING) {
      story.add(helper(family == Moral.Family.SHARING));
    }
    if (family == Moral.Family.COURAGE) {
      story.add(beat("courage.setup", "courage.turn", "courage.payoff"));
    }
    story.add(resolution(++search, searches, family));
    if (longer) {
      story.add(celebration());
    }
    if (length == StoryLength.LONG) {
      story.add(scene("reflect", 1, "reflect", 3));
    }
    story.add(closing());
    return new OfflineStoryEngine.Draft(title(), fit(story));
  }

  /** The problem the story was written about, once {@link #write()} has run. */
  Content.Quest quest() {
    return quest;
  }

  /** Chooses optional sentences so the story lands near a word target inside its band. */
  private List<String> fit(List<Paragraph> story) {
    int target = band.min() + (int) ((band.max() - band.min()) * (0.4 + 0.3 * random.nextDouble()));
    if (plainness > 0) {
      // a draft that read too hard may use the whole band for plain sentences
      target = Math.max(target, band.max() - Math.max(3, (band.max() - band.min()) / 20));
    }
    int words = 0;
    for (Paragraph p : story) {
      words += p.words(false);
    }
    // the youngest readers' short stories have little room: the least needed sentences go first
    int limit = band.max() - Math.max(3, (band.max() - band.min()) / 20);
    for (int i = story.size() - 1; i >= 0 && words > limit; i--) {
      for (Unit u : story.get(i).units) {
        if (u.priority == TRIM && u.included && words > limit) {
          u.included = false;
          words -= u.words;
        }
      }
    }
    double gradeCap = plainness < 3 ? Double.MAX_VALUE : age.maxReadingGrade();
    for (int priority = 1; priority <= 3; priority++) {
      for (Paragraph p : story) {
        for (Unit u : p.units) {
          if (!u.included
              && u.priority == priority
              && words + u.words <= target
              && (gradeCap == Double.MAX_VALUE
                  || Readability.fleschKincaidGrade(u.text) <= gradeCap)) {
            u.included = true;
            words += u.words;
          }
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (Paragraph p : story) {
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
    return out;
  }

  // ---- set-up: cast, setting, quest, moral, trait ----

  /**
   * Fills the slots and decks every paragraph draws on, in an order that fixes the random draws.
   */
  private void setUp() {
    setUpTopic();
    Set<String> taken = setUpCast();
    setUpTraitOwner();
    setUpHelper(taken);
    String heroPossessive = Text.possessive(hero.name(), hero.plural());
    setUpSetting(heroPossessive);
    setUpQuest();
    setUpMoralAndIdea(heroPossessive);
    setUpDecks();
  }

  /** The theme as words: topic, its description and its title. */
  private void setUpTopic() {
    String topicDesc = Text.lowerLeadingIfWord(Text.clean(requestTheme.description()));
    String topicTitle = Text.clean(requestTheme.displayName());
    String topic =
        theme.id().equals(Content.GENERIC)
            ? Text.lowerLeadingIfWord(topicTitle)
            : theme.topic().fill(Map.of(), random);
    slots.put("topic", topic);
    slots.put("topic_desc", topicDesc.isEmpty() ? topic : topicDesc);
    slots.put("topic_title", topicTitle.isEmpty() ? "Story" : Text.titleCase(topicTitle));
  }

  /**
   * The cast: the requested characters (each name once), then invented buddies up to two; the hero
   * first. Returns the names taken, in lower case.
   */
  private Set<String> setUpCast() {
    Set<String> taken = new HashSet<>();
    for (StoryCharacter c : request.characters()) {
      CastMember m = CastMember.of(c.name(), c.description(), traits);
      if (taken.add(m.name().toLowerCase(Locale.ROOT))) {
        cast.add(m);
      }
    }
    List<Content.Persona> buddies = unused(theme.buddies(), taken);
    while (cast.size() < 2 && !buddies.isEmpty()) {
      Content.Persona p = buddies.remove(random.nextInt(buddies.size()));
      cast.add(CastMember.invented(p, traits));
      taken.add(p.name().toLowerCase(Locale.ROOT));
    }
    for (CastMember m : cast) {
      if (m.plural()) {
        pluralNames.add(m.name());
        pluralNames.add(m.shortName());
      }
    }
    hero = cast.get(0);
    slots.put("hero", hero.name());
    slots.put("sub", subject(hero));
    slots.put("obj", object(hero));
    slots.put("pos", possessive(hero));
    slots.put("self", hero.pronouns().reflexive());
    slots.put("friends", Text.list(names(0)));
    slots.put("others", Text.list(names(1)));
    friendTurn = random.nextInt(cast.size() - 1);
    nextFriend();
    return taken;
  }

  /** Who owns the trait that solves the problem, and the slots that name them. */
  private void setUpTraitOwner() {
    // the trait that solves the problem: a skill or a love someone's description names (drums,
    // stars)
    // before a bare quality (curious, kind); the hero's before a friend's
    traitOwner = null;
    for (int pass = 0; pass < 2 && traitOwner == null; pass++) {
      for (CastMember m : cast) {
        if (!m.trait().isEmpty() && (pass == 1 || !Traits.QUALITIES.contains(m.trait()))) {
          traitOwner = m;
          break;
        }
      }
    }
    if (traitOwner == null) {
      traitOwner = hero;
    }
    slots.put("tname", traitOwner.name());
    slots.put("tsub", subject(traitOwner));
    slots.put("tobj", object(traitOwner));
    slots.put("tpos", possessive(traitOwner));
    CastMember other = traitOwner == hero ? cast.get(1) : hero;
    slots.put("other", other.name());
  }

  /** A helper the cast has not used, with a shorter description for the youngest. */
  private void setUpHelper(Set<String> taken) {
    List<Content.Persona> helpers = unused(theme.helpers(), taken);
    Content.Persona helper =
        helpers.isEmpty() ? theme.helpers().get(0) : helpers.get(random.nextInt(helpers.size()));
    slots.put("helper", helper.name());
    slots.put("helper_desc", helper.description());
    if (young) {
      String[] split = CastMember.splitNounPhrase(helper.description());
      if (split.length == 2) {
        slots.put("helper_desc", split[0]);
        helperMore = helper.name() + " " + split[1] + ".";
      }
    }
  }

  /** The caller's setting in the hero's words, or one of the theme's places. */
  private void setUpSetting(String heroPossessive) {
    userSetting = request.setting().isPresent();
    Setting setting =
        Setting.of(
            request
                .setting()
                .map(s -> Text.ownWords(Text.clean(s), heroPossessive))
                .orElseGet(() -> pick(theme.places()).fill(slots, random)));
    slots.put("at_first", setting.atFirst());
    slots.put("place", setting.place());
    slots.put("at_place", setting.atPlace());
  }

  /** A quest (only one that can happen anywhere in a setting the caller names) and its slots. */
  private void setUpQuest() {
    // a quest tied to the theme's own places (a moon map floating out of a window) would contradict
    // a setting the caller names: there, only the quests that can happen anywhere are chosen
    List<Content.Quest> quests = userSetting ? theme.portableQuests() : theme.quests();
    quest = quests.get(random.nextInt(quests.size()));
    slots.put("quest", Text.titleCase(quest.title().fill(slots, random)));
    slots.put("issue", (young ? quest.issueYoung() : quest.issue()).fill(slots, random));
    slots.put("goal", (young ? quest.goalYoung() : quest.goal()).fill(slots, random));
    slots.put("clue", (young ? quest.clueYoung() : quest.clue()).fill(slots, random));
    slots.put("fix", (young ? quest.fixYoung() : quest.fix()).fill(slots, random));
    slots.put("happy", (young ? quest.happyYoung() : quest.happy()).fill(slots, random));
  }

  /** The moral (the caller's, or a default) and the caller's idea, in the hero's words. */
  private void setUpMoralAndIdea(String heroPossessive) {
    String rawMoral =
        request.moral().orElseGet(() -> DEFAULT_MORALS.get(random.nextInt(DEFAULT_MORALS.size())));
    moral = Moral.of(Text.ownWords(Text.clean(rawMoral), heroPossessive), hero.pronouns());
    if (moral.text().isEmpty()) {
      moral = Moral.of("kindness", hero.pronouns());
    }
    request
        .idea()
        .map(i -> Text.lowerLeading(Text.clean(i), IDEA_LOWER))
        .filter(i -> !i.isEmpty())
        .ifPresent(i -> slots.put("idea", Text.ownWords(i, heroPossessive)));
  }

  /** The decks of details, waypoints, decoys and critters the paragraphs draw from. */
  private void setUpDecks() {
    List<Line> detailLines = new ArrayList<>();
    if (userSetting) {
      // the theme's scenery belongs to its own places; in the caller's setting it could contradict
      detailLines.addAll(arc.get("neutral"));
    } else {
      if (!young) {
        for (Line l : theme.richDetails()) {
          if (oldest || Readability.wordCount(l.toString()) <= age.targetSentenceWords()) {
            detailLines.add(l);
          }
        }
      }
      detailLines.addAll(theme.details());
    }
    details = new Deck<>(detailLines, random);
    waypoints = new Deck<>(userSetting ? arc.get("waypoint.any") : theme.waypoints(), random);
    decks.put("decoy", new Deck<>(joined(theme.decoys(), arc.get("decoy")), random));
    decks.put("critter", new Deck<>(joined(theme.critters(), arc.get("critter")), random));
  }

  private static List<Line> joined(List<Line> own, List<Line> shared) {
    List<Line> out = new ArrayList<>(own);
    out.addAll(shared);
    return out;
  }

  private List<String> names(int from) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < cast.size(); i++) {
      out.add(cast.get(i).shortName());
    }
    return out;
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

  // ---- scenes ----

  private Paragraph opening() {
    Paragraph p = begin();
    say("open", young ? TRIM : 0);
    introduce(hero, false);
    // later mentions use the short form of a long name
    slots.put("hero", hero.shortName());
    if (traitOwner == hero) {
      plant();
    }
    for (int i = 1; i < cast.size(); i++) {
      CastMember m = cast.get(i);
      introduce(m, i >= request.characters().size());
      if (m == traitOwner) {
        plant();
      }
    }
    slots.put("tname", traitOwner.shortName());
    say("together", 2);
    if (slots.containsKey("idea")) {
      say("idea", 0);
    }
    return p;
  }

  private void introduce(CastMember m, boolean invented) {
    slots.put("name", m.name());
    slots.put("pred", m.predicate());
    slots.put("desc", m.nounPhrase());
    String more = "";
    if (plainness >= 2 && !m.nounPhrase().isEmpty()) {
      // still too hard after plainer sentences: the youngest get the description's head noun only
      slots.put("desc", m.plainNounPhrase());
      slots.put("pred", "was " + m.plainNounPhrase());
    } else if (young
        && !m.nounPhrase().isEmpty()
        && !(invented && request.length() == StoryLength.SHORT)) {
      // "Orbit was a moon bear who knew every star" reads better to the youngest as two sentences
      String[] split = CastMember.splitNounPhrase(m.nounPhrase());
      if (split.length == 2) {
        slots.put("desc", split[0]);
        slots.put("pred", "was " + split[0]);
        more = " " + m.shortName() + " " + split[1] + ".";
      }
    }
    String key =
        invented && !m.nounPhrase().isEmpty()
            ? "buddy"
            : m.predicate().isEmpty() ? "nodesc" : "intro";
    if (key.equals("intro")
        && m != hero
        && !slots.get("desc").isEmpty()
        && more.isEmpty()
        && !arc.get("intro.np").isEmpty()
        && random.nextBoolean()) {
      key = "intro.np"; // a friend with a noun phrase may be introduced beside the hero
    }
    String line = drawAgain(key);
    if (line != null) {
      add(line + agree(more), 0);
    }
  }

  /** Shows the trait that will solve the problem, right after its owner is introduced. */
  private void plant() {
    Traits.Trait t = traits.get(traitOwner.trait(), age);
    slots.put("tname", traitOwner.shortName());
    String line = drawFrom("plant." + t.id(), t.plant());
    if (line != null) {
      // a trait the description names is already shown by the introduction
      add(line, traitOwner.trait().isEmpty() ? 0 : 2);
    }
  }

  private Paragraph arrival(boolean sharing) {
    Paragraph p = begin();
    say("arrive", 0);
    if (theme.id().equals(Content.GENERIC)) {
      say("topic", 0); // an app-defined theme has no material of its own: name it
    }
    detail(1);
    if (sharing) {
      slots.put("snack", drawValue("snack"));
      say("sharing.setup", 0);
    }
    detail(3);
    return p;
  }

  private Paragraph problem() {
    Paragraph p = begin();
    say("day", 2);
    say("problem", 0);
    say("react", request.length() == StoryLength.SHORT && young ? 2 : 1);
    if (oldest) {
      say("react", 3);
    }
    say("want", young ? TRIM : 0);
    return p;
  }

  /**
   * A search scene that does not find it: going somewhere (with its ordinal), looking, not there.
   */
  private Paragraph search(int index, int of, boolean hurry) {
    Paragraph p = begin();
    nextFriend();
    slots.put("waypoint", waypoints.draw().fill(slots, random));
    say(of == 1 ? "go.only" : index == 1 ? "go.first" : index == of ? "go.last" : "go.next", 0);
    detail(oldest ? 1 : 2);
    if (hurry) {
      say("patience.setup", 0);
    } else {
      say("look", 1);
      say("friend", 2);
      if (!young) {
        say("look", 3);
      }
    }
    say("miss", 0);
    return p;
  }

  private Paragraph complication() {
    Paragraph p = begin();
    nextFriend();
    // the theme's own complications (written for readers of six and up) join the age group's, so
    // each is as likely as any other
    String line =
        drawFrom(
            "complication",
            young
                ? arc.get("complication")
                : joined(theme.complications(), arc.get("complication")));
    add(line, 0);
    say("complication.after", 1);
    detail(3);
    return p;
  }

  /** Something that looks like the answer and is not, and what the detour costs. */
  private Paragraph falseLead() {
    Paragraph p = begin();
    nextFriend();
    slots.put("waypoint", waypoints.draw().fill(slots, random));
    slots.put("decoy", drawValue("decoy"));
    say("lead", 0);
    say("lead.after", 0);
    say("lead.learn", 2);
    return p;
  }

  /** Honesty: the hero claims to have seen it, sends everyone the wrong way, and owns up. */
  private Paragraph fib() {
    Paragraph p = begin();
    nextFriend();
    slots.put("waypoint", waypoints.draw().fill(slots, random));
    say("honesty.setup", 0);
    say("honesty.after", 0);
    return p;
  }

  private Paragraph kindness() {
    Paragraph p = begin();
    nextFriend();
    String[] critter = drawValue("critter").split(" \\| ");
    slots.put("critter", critter[0]);
    slots.put("critter_fix", critter.length > 1 ? critter[1] : "helped it");
    slots.put("critter_short", critter.length > 2 ? critter[2] : "the little creature");
    say("kindness.setup", 0);
    say("kindness.turn", 0);
    say("kindness.payoff", 1);
    return p;
  }

  private Paragraph moment() {
    Paragraph p = begin();
    nextFriend();
    say("moment.setup", 0);
    say("moment.turn", 0);
    say("moment.after", 1);
    detail(3);
    return p;
  }

  /**
   * A scene of lines from the given keys, each followed by its priority; the first is the friend's
   * turn.
   */
  private Paragraph scene(Object... keysAndPriorities) {
    Paragraph p = begin();
    nextFriend();
    for (int i = 0; i < keysAndPriorities.length; i += 2) {
      say((String) keysAndPriorities[i], (Integer) keysAndPriorities[i + 1]);
    }
    return p;
  }

  /** A moral's scene: its keys in order, all required. */
  private Paragraph beat(String... keys) {
    Paragraph p = begin();
    nextFriend();
    if (moral.family() == Moral.Family.COURAGE) {
      slots.put("obstacle", drawValue("obstacle"));
    }
    for (String key : keys) {
      say(key, 0);
    }
    return p;
  }

  private Paragraph helper(boolean sharing) {
    Paragraph p = begin();
    nextFriend();
    String meet = draw("meet");
    add(helperMore.isEmpty() ? meet : meet + " " + helperMore, 0);
    if (sharing) {
      say("sharing.turn", 0);
      say("sharing.payoff", young ? TRIM : 0);
    }
    say("advice", 0);
    detail(3);
    return p;
  }

  /** The last search: the place where the trait finds the answer, the fix and the happy ending. */
  private Paragraph resolution(int index, int of, Moral.Family family) {
    Paragraph p = begin();
    nextFriend();
    slots.put("waypoint", waypoints.draw().fill(slots, random));
    say(of == 1 ? "go.only" : index == of ? "go.last" : "go.next", 0);
    detail(2);
    if (!young) {
      say("look", 3);
    }
    Traits.Trait t = traits.get(traitOwner.trait(), age);
    String help = drawFrom("help." + t.id(), t.help());
    add(help, 0);
    if (family == Moral.Family.DIFFERENCE) {
      say("difference.payoff", 0);
    }
    if (family == Moral.Family.TEAMWORK) {
      // the fix itself is the job too big for one
      say("teamwork.setup", 0);
      say("teamwork.turn", 0);
    }
    say("fix", 0);
    if (family == Moral.Family.TEAMWORK) {
      say("teamwork.payoff", young ? TRIM : 0);
    }
    say("happy", 0);
    return p;
  }

  private Paragraph celebration() {
    Paragraph p = begin();
    say("home", 1);
    if (!userSetting) {
      String treat = drawFrom("treat", theme.treats());
      if (treat != null) {
        add(treat, 2);
      }
    }
    return p;
  }

  private Paragraph closing() {
    Paragraph p = begin();
    add(moralLine(), 0);
    if (!theme.ends().isEmpty()) {
      add(drawFrom("theme.end", theme.ends()), 0);
    } else {
      say("end", 1);
    }
    return p;
  }

  private String moralLine() {
    List<Line> pool = new ArrayList<>();
    String text = moral.text();
    if (moral.kind() != Moral.Kind.ANY) {
      pool.addAll(arc.get("moral." + moral.kind().key + ".close"));
    }
    pool.addAll(arc.get("moral.any.close"));
    slots.put("moral", text);
    for (int i = 0; i < REDRAWS; i++) {
      String s = agree(pool.get(random.nextInt(pool.size())).render(slots, random));
      if (SeamCheck.clean(s) && !writtenBefore(s)) {
        return s;
      }
    }
    return agree(arc.get("moral.any.close").get(0).render(slots, random));
  }

  private String title() {
    List<Line> pool = new ArrayList<>(theme.titles());
    pool.addAll(arc.get("title"));
    return Text.capitalize(agree(pool.get(random.nextInt(pool.size())).render(slots, random)));
  }

  // ---- writing sentences ----

  private Paragraph begin() {
    if (young && plainness > 0 && current != null) {
      // a draft that read too hard for the youngest gets short, sing-song lines between scenes
      String cheer = drawFrom("cheer", cheers());
      if (cheer != null) {
        current.units.add(new Unit(cheer, 1));
      }
    }
    current = new Paragraph();
    return current;
  }

  private List<Line> cheers() {
    List<Line> out = new ArrayList<>(theme.refrains());
    out.addAll(arc.get("cheer"));
    return out;
  }

  private void add(String text, int priority) {
    if (text != null && !text.isEmpty()) {
      current.units.add(new Unit(text, priority));
    }
  }

  /** Writes a sentence from the age group's pool for {@code key} into the current paragraph. */
  private void say(String key, int priority) {
    String s = draw(key);
    if (s != null) {
      add(s, priority);
    }
  }

  private void detail(int priority) {
    String s = drawFrom(details);
    if (s != null) {
      add(s, priority);
    }
  }

  private void nextFriend() {
    friendTurn = (friendTurn + 1) % (cast.size() - 1);
    CastMember f = cast.get(friendTurn + 1);
    slots.put("friend", f.shortName());
    slots.put("fsub", subject(f));
    slots.put("fpos", possessive(f));
  }

  /**
   * Whether a character is one person called "they": the story's "they" is the group, so for such a
   * character a pronoun could mean either ("'We can rest,' they said"), and the name is used
   * instead.
   */
  static boolean singularThey(CastMember m) {
    return !m.plural() && m.pronouns().equals(CastMember.Pronouns.THEY);
  }

  private static String subject(CastMember m) {
    return singularThey(m) ? m.shortName() : m.pronouns().subject();
  }

  private static String object(CastMember m) {
    return singularThey(m) ? m.shortName() : m.pronouns().object();
  }

  /**
   * "Their" stays: attached to a noun right after the name ("Zara counted on their fingers"), it is
   * clear.
   */
  private static String possessive(CastMember m) {
    return m.pronouns().possessive();
  }

  private String draw(String key) {
    Deck<Line> deck =
        decks.computeIfAbsent(
            key,
            k -> {
              List<Line> lines = arc.get(k);
              if (lines.isEmpty()) {
                throw new IllegalStateException(
                    "offline story content has no '" + k + "' for ages " + age.label());
              }
              return new Deck<>(lines, random);
            });
    return drawFrom(deck);
  }

  /**
   * Like {@link #draw} for a line every character gets (an introduction): the pool may come round
   * again.
   */
  private String drawAgain(String key) {
    String s = draw(key);
    if (s == null) {
      decks.get(key).reset();
      s = draw(key);
    }
    return s;
  }

  private String drawFrom(String key, List<Line> lines) {
    return drawFrom(decks.computeIfAbsent(key, k -> new Deck<>(lines, random)));
  }

  /**
   * The next sentence from {@code deck} that is new to this story and has no seam, or null when the
   * deck has none left; with {@link #plainness} above 0 the plainest of a few candidates.
   */
  private String drawFrom(Deck<Line> deck) {
    String best = null;
    Line bestLine = null;
    double bestGrade = Double.MAX_VALUE;
    int candidates = 1 + 2 * plainness;
    int drawn = 0;
    for (int attempt = 0; attempt < REDRAWS + candidates && candidates > 0; attempt++) {
      Line line = deck.draw();
      if (line == null) {
        break;
      }
      drawn++;
      String s = agree(line.render(slots, random));
      if (writtenBefore(s) || !SeamCheck.clean(s)) {
        continue;
      }
      candidates--;
      double grade = plainness == 0 ? 0 : Readability.fleschKincaidGrade(s);
      if (best == null || grade < bestGrade) {
        best = s;
        bestLine = line;
        bestGrade = grade;
      }
    }
    if (plainness > 0) {
      deck.keepOnly(drawn, bestLine); // the candidates not chosen stay available
    }
    if (best != null) {
      written.addAll(OfflineStoryEngine.sentences(best));
    }
    return best;
  }

  /**
   * Whether any sentence of {@code text} is already in the story (a short "Hooray!" may end two
   * lines).
   */
  private boolean writtenBefore(String text) {
    for (String sentence : OfflineStoryEngine.sentences(text)) {
      if (written.contains(sentence)) {
        return true;
      }
    }
    return false;
  }

  /** A value (not a sentence) from the shared pools: a snack, a decoy, an obstacle. */
  private String drawValue(String key) {
    Deck<Line> deck = decks.computeIfAbsent(key, k -> new Deck<>(arc.get(k), random));
    Line line = deck.draw();
    if (line == null) {
      deck.reset();
      line = deck.draw();
    }
    return line.fill(slots, random);
  }

  private Line pick(List<Line> lines) {
    return lines.get(random.nextInt(lines.size()));
  }

  /**
   * Makes verbs agree with plural names and "they" ("the Twins were", "they were"), and gives a
   * plural name ending in s its possessive without another s ("the Twins' hand").
   */
  private String agree(String s) {
    s = agreeWith(s, "they");
    s = agreeWith(s, "They");
    for (String name : pluralNames) {
      s = agreeWith(s, name);
      s = agreeWith(s, Text.capitalize(name));
      s = s.replace(name + ", who was ", name + ", who were ");
      s = s.replace(Text.capitalize(name) + ", who was ", Text.capitalize(name) + ", who were ");
      if (name.endsWith("s")) {
        s = s.replace(name + "'s", name + "'");
        s = s.replace(Text.capitalize(name) + "'s", Text.capitalize(name) + "'");
      }
    }
    return s;
  }

  private static final String[][] AGREEMENT = {
    {" was", " were"},
    {" wasn't", " weren't"},
    {" has ", " have "},
    {" is ", " are "},
    {" isn't", " aren't"},
    {" does ", " do "},
    {" doesn't", " don't"}
  };

  private static String agreeWith(String s, String subject) {
    if (s.indexOf(subject) < 0) {
      return s;
    }
    for (String[] pair : AGREEMENT) {
      String from = subject + pair[0];
      int at = s.indexOf(from);
      while (at >= 0) {
        int end = at + from.length();
        boolean wordStart = at == 0 || !Character.isLetter(s.charAt(at - 1));
        boolean wordEnd =
            end >= s.length() || !Character.isLetter(s.charAt(end)) || pair[0].endsWith(" ");
        if (wordStart && wordEnd) {
          s = s.substring(0, at) + subject + pair[1] + s.substring(end);
        }
        at = s.indexOf(from, at + 1);
      }
    }
    return s;
  }
}
