package dev.storymagic.internal.art;

import dev.storymagic.AssetKind;
import dev.storymagic.AssetType;
import dev.storymagic.Story;
import dev.storymagic.spi.GeneratedAsset;
import dev.storymagic.spi.Illustrator;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The offline illustrator: draws each {@link ScenePlan} as a small SVG (800 by 600) with a sky, the
 * ground, the props and the characters as simple friendly figures. Deterministic: the plan's seed
 * drives every random choice and numbers are written as integers, so the same story always gives
 * the same bytes. The SVG has no scripts, no links and no text but its title, which is built from
 * fixed tables and escaped.
 */
public final class SvgIllustrator implements Illustrator {
  public static final SvgIllustrator INSTANCE = new SvgIllustrator();
  public static final String MODEL = "offline-svg";

  /** Bump when the drawing changes, so cached pictures are redrawn. */
  public static final String VERSION = "svg-1";

  static final int WIDTH = 800;
  static final int HEIGHT = 600;
  static final int HORIZON = 410;
  private static final String[] SKIN = {"#f6d3b3", "#e0ac7e", "#b97b4b", "#8a5a3b", "#f3c6a5"};
  private static final String[] HAIR = {"#3b2a20", "#8b5a2b", "#e0b050", "#222222", "#b5542f"};
  private static final String[] FLOWERS = {"#f08cb4", "#f5cd47", "#ffffff", "#e5533d", "#9b6bcc"};

  private SvgIllustrator() {}

  @Override
  public List<GeneratedAsset> illustrate(Story story, int maxScenes) {
    List<GeneratedAsset> out = new ArrayList<>();
    for (ScenePlan plan : ScenePlan.plan(story, maxScenes)) {
      out.add(
          new GeneratedAsset(
              plan.kind(),
              plan.index(),
              AssetType.SVG,
              draw(plan).getBytes(StandardCharsets.UTF_8),
              altText(plan),
              MODEL,
              BigDecimal.ZERO));
    }
    return out;
  }

  @Override
  public String model() {
    return MODEL;
  }

  @Override
  public String promptVersion() {
    return VERSION;
  }

  /** A description of the picture from the plan's tables: no user text. */
  public static String altText(ScenePlan plan) {
    StringBuilder b =
        new StringBuilder(
            plan.kind() == AssetKind.COVER ? "Cover picture" : "Picture " + plan.index());
    b.append(": ").append(plan.place());
    if (plan.night()) {
      b.append(" at night");
    }
    List<String> things = new ArrayList<>();
    for (ScenePlan.Prop p : plan.props()) {
      things.add(p.words());
    }
    if (!things.isEmpty()) {
      b.append(", with ").append(join(things));
    }
    if (!plan.looks().isEmpty()) {
      List<String> who = new ArrayList<>();
      for (Look l : plan.looks()) {
        who.add(l.words());
      }
      b.append("; ").append(join(who));
    }
    return b.append('.').toString();
  }

  private static String join(List<String> items) {
    if (items.size() == 1) {
      return items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1))
        + " and "
        + items.get(items.size() - 1);
  }

  /** The SVG document for one plan. */
  static String draw(ScenePlan plan) {
    SplittableRandom r = new SplittableRandom(plan.seed());
    ScenePlan.Setting s = plan.setting();
    boolean night = plan.night();
    Svg g = new Svg();
    g.raw(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "
            + WIDTH
            + " "
            + HEIGHT
            + "\" width=\""
            + WIDTH
            + "\" height=\""
            + HEIGHT
            + "\" role=\"img\">");
    g.raw("<title>").text(altText(plan)).raw("</title>");
    String top = night && !s.night() ? "#1f2a5c" : s.skyTop();
    String bottom = night && !s.night() ? "#56609c" : s.skyBottom();
    g.raw(
        "<defs><linearGradient id=\"sky\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\"><stop offset=\"0\" stop-color=\""
            + top
            + "\"/><stop offset=\"1\" stop-color=\""
            + bottom
            + "\"/></linearGradient></defs>");
    g.raw("<rect width=\"" + WIDTH + "\" height=\"" + HEIGHT + "\" fill=\"url(#sky)\"/>");
    if (night || plan.props().contains(ScenePlan.Prop.STAR)) {
      stars(g, r, night ? 40 : 12);
    }
    if (night || plan.props().contains(ScenePlan.Prop.MOON)) {
      int x = 120 + r.nextInt(560);
      g.raw(
          "<circle cx=\""
              + x
              + "\" cy=\"90\" r=\"38\" fill=\"#fdf3c4\"/><circle cx=\""
              + (x + 16)
              + "\" cy=\"80\" r=\"34\" fill=\""
              + top
              + "\" opacity=\""
              + (night ? "0.9" : "0")
              + "\"/>");
    } else if (!s.underwater()) {
      int x = 560 + r.nextInt(160);
      g.raw("<circle cx=\"" + x + "\" cy=\"95\" r=\"46\" fill=\"#ffd84d\"/>");
      for (int i = 0; i < 8; i++) {
        double a = Math.PI * 2 * i / 8;
        g.raw(
            line(
                x + (int) (Math.cos(a) * 58),
                95 + (int) (Math.sin(a) * 58),
                x + (int) (Math.cos(a) * 76),
                95 + (int) (Math.sin(a) * 76),
                "#ffd84d",
                6));
      }
    }
    if (!night
        && (plan.props().contains(ScenePlan.Prop.CLOUD) || r.nextInt(3) > 0)
        && !s.underwater()) {
      cloud(g, 80 + r.nextInt(200), 70 + r.nextInt(60));
      cloud(g, 330 + r.nextInt(200), 110 + r.nextInt(50));
    }
    if (plan.props().contains(ScenePlan.Prop.RAINBOW) && !night) {
      String[] bands = {"#e5533d", "#f29a38", "#f5cd47", "#5cb85c", "#4a90d9", "#9b6bcc"};
      for (int i = 0; i < bands.length; i++) {
        g.raw(
            "<path d=\"M 120 "
                + HORIZON
                + " A 280 240 0 0 1 680 "
                + HORIZON
                + "\" fill=\"none\" stroke=\""
                + bands[i]
                + "\" stroke-width=\"12\" transform=\"translate(0 "
                + (i * 12)
                + ")\" opacity=\"0.8\"/>");
      }
    }
    if (plan.props().contains(ScenePlan.Prop.MOUNTAIN)
        || plan.props().contains(ScenePlan.Prop.VOLCANO)) {
      mountain(g, -20, 160, 200 + r.nextInt(60), 330, night ? "#3e4a78" : "#8fa9c9");
      mountain(g, 250, 450, 230 + r.nextInt(50), 650, night ? "#34406c" : "#7c98bd");
      if (plan.props().contains(ScenePlan.Prop.VOLCANO)) {
        g.raw(
            "<path d=\"M 520 "
                + HORIZON
                + " L 640 230 L 690 230 L 820 "
                + HORIZON
                + " Z\" fill=\"#8c5a44\"/><path d=\"M 640 230 L 690 230 L 676 260 L 654 258 Z\" fill=\"#f29a38\"/>"
                + "<circle cx=\"660\" cy=\"200\" r=\"16\" fill=\"#d8d8d8\"/><circle cx=\"684\" cy=\"178\" r=\"20\" fill=\"#e8e8e8\"/>");
      }
    }
    // The ground: a gentle wave across the picture.
    int a = HORIZON - 10 + r.nextInt(20);
    int b = HORIZON - 10 + r.nextInt(20);
    g.raw(
        "<path d=\"M 0 "
            + a
            + " C 200 "
            + (a - 30)
            + " 500 "
            + (b + 30)
            + " "
            + WIDTH
            + " "
            + b
            + " L "
            + WIDTH
            + " "
            + HEIGHT
            + " L 0 "
            + HEIGHT
            + " Z\" fill=\""
            + (night && !s.underwater() ? darker(s.ground()) : s.ground())
            + "\"/>");
    if (plan.theme().equals("pirates")
        || (plan.props().contains(ScenePlan.Prop.SHIP) && !s.underwater())) {
      g.raw(
          "<rect x=\"0\" y=\""
              + (HORIZON - 40)
              + "\" width=\""
              + WIDTH
              + "\" height=\"30\" fill=\"#4aa3df\" opacity=\"0.8\"/>");
    }
    props(g, plan, r, night);
    figures(g, plan, r);
    g.raw("</svg>");
    return g.toString();
  }

  private static void props(Svg g, ScenePlan plan, SplittableRandom r, boolean night) {
    // Props stand behind the characters, spread over slots along the horizon.
    int slot = 0;
    int[] slots = {70, 700, 190, 590, 330, 460};
    for (ScenePlan.Prop p : plan.props()) {
      int x = slots[slot % slots.length] + r.nextInt(30) - 15;
      int y = HORIZON + 10 + r.nextInt(20);
      switch (p) {
        case TREE -> {
          tree(g, x, y, r);
          tree(g, x + 50, y + 10, r);
        }
        case PALM -> palm(g, x, y);
        case FLOWER -> {
          for (int i = 0; i < 5; i++) {
            flower(
                g,
                x - 40 + i * 20 + r.nextInt(10),
                540 + r.nextInt(40),
                FLOWERS[r.nextInt(FLOWERS.length)]);
          }
          continue;
        }
        case MUSHROOM -> {
          g.raw(
              "<rect x=\""
                  + (x - 6)
                  + "\" y=\""
                  + (y - 24)
                  + "\" width=\"12\" height=\"24\" fill=\"#f4f1ea\"/>"
                  + "<path d=\"M "
                  + (x - 26)
                  + " "
                  + (y - 22)
                  + " Q "
                  + x
                  + " "
                  + (y - 60)
                  + " "
                  + (x + 26)
                  + " "
                  + (y - 22)
                  + " Z\" fill=\"#e5533d\"/><circle cx=\""
                  + (x - 8)
                  + "\" cy=\""
                  + (y - 34)
                  + "\" r=\"4\" fill=\"#fff\"/>"
                  + "<circle cx=\""
                  + (x + 9)
                  + "\" cy=\""
                  + (y - 30)
                  + "\" r=\"3\" fill=\"#fff\"/>");
        }
        case HOUSE -> house(g, x, y, night);
        case BARN ->
            g.raw(
                "<rect x=\""
                    + (x - 55)
                    + "\" y=\""
                    + (y - 90)
                    + "\" width=\"110\" height=\"90\" fill=\"#c0392b\"/>"
                    + "<path d=\"M "
                    + (x - 65)
                    + " "
                    + (y - 88)
                    + " L "
                    + x
                    + " "
                    + (y - 140)
                    + " L "
                    + (x + 65)
                    + " "
                    + (y - 88)
                    + " Z\" fill=\"#8e2b20\"/><rect x=\""
                    + (x - 20)
                    + "\" y=\""
                    + (y - 50)
                    + "\" width=\"40\" height=\"50\" fill=\"#f4f1ea\"/>");
        case CASTLE -> castle(g, x, y);
        case CITY -> {
          for (int i = 0; i < 4; i++) {
            int h = 70 + r.nextInt(80);
            g.raw(
                "<rect x=\""
                    + (x - 70 + i * 36)
                    + "\" y=\""
                    + (y - h)
                    + "\" width=\"32\" height=\""
                    + h
                    + "\" fill=\""
                    + (i % 2 == 0 ? "#b8c4d6" : "#9fb0c8")
                    + "\"/><rect x=\""
                    + (x - 62 + i * 36)
                    + "\" y=\""
                    + (y - h + 12)
                    + "\" width=\"8\" height=\"10\" fill=\"#fdf3c4\"/>");
          }
        }
        case SHIP ->
            g.raw(
                "<path d=\"M "
                    + (x - 60)
                    + " "
                    + (y - 40)
                    + " L "
                    + (x + 60)
                    + " "
                    + (y - 40)
                    + " L "
                    + (x + 40)
                    + " "
                    + (y - 10)
                    + " L "
                    + (x - 40)
                    + " "
                    + (y - 10)
                    + " Z\" fill=\"#8b5a2b\"/><rect x=\""
                    + (x - 3)
                    + "\" y=\""
                    + (y - 130)
                    + "\" width=\"6\" height=\"90\" fill=\"#5d3a1a\"/><path d=\"M "
                    + (x + 4)
                    + " "
                    + (y - 125)
                    + " L "
                    + (x + 50)
                    + " "
                    + (y - 60)
                    + " L "
                    + (x + 4)
                    + " "
                    + (y - 55)
                    + " Z\" fill=\"#f4f1ea\"/>");
        case ISLAND ->
            g.raw(
                "<ellipse cx=\""
                    + x
                    + "\" cy=\""
                    + (y - 30)
                    + "\" rx=\"70\" ry=\"16\" fill=\"#ecd18e\"/>");
        case TREASURE ->
            g.raw(
                "<rect x=\""
                    + (x - 24)
                    + "\" y=\""
                    + (y + 60)
                    + "\" width=\"48\" height=\"30\" rx=\"4\" fill=\"#9c6b43\"/>"
                    + "<rect x=\""
                    + (x - 24)
                    + "\" y=\""
                    + (y + 56)
                    + "\" width=\"48\" height=\"10\" rx=\"4\" fill=\"#e8b830\"/>"
                    + "<circle cx=\""
                    + x
                    + "\" cy=\""
                    + (y + 72)
                    + "\" r=\"4\" fill=\"#e8b830\"/>");
        case PLANET -> {
          int px = 120 + r.nextInt(180);
          g.raw(
              "<circle cx=\""
                  + px
                  + "\" cy=\"190\" r=\"44\" fill=\"#e59f5c\"/><ellipse cx=\""
                  + px
                  + "\" cy=\"190\" rx=\"74\" ry=\"14\" fill=\"none\" stroke=\"#f6d18b\" stroke-width=\"6\"/>");
          continue;
        }
        case ROCKET ->
            g.raw(
                "<g transform=\"translate("
                    + x
                    + " "
                    + (y - 20)
                    + ")\"><path d=\"M 0 -110 Q 26 -70 22 -20 L -22 -20"
                    + " Q -26 -70 0 -110 Z\" fill=\"#f4f1ea\"/><circle cx=\"0\" cy=\"-66\" r=\"10\" fill=\"#4a90d9\"/><path d=\"M -22 -40"
                    + " L -38 -4 L -20 -20 Z M 22 -40 L 38 -4 L 20 -20 Z\" fill=\"#e5533d\"/><path d=\"M -12 -20 L 0 8 L 12 -20 Z\""
                    + " fill=\"#f29a38\"/></g>");
        case FISH -> {
          for (int i = 0; i < 3; i++) {
            int fx = 80 + r.nextInt(640);
            int fy = 120 + r.nextInt(220);
            g.raw(
                "<ellipse cx=\""
                    + fx
                    + "\" cy=\""
                    + fy
                    + "\" rx=\"22\" ry=\"12\" fill=\""
                    + FLOWERS[r.nextInt(FLOWERS.length)]
                    + "\"/><path d=\"M "
                    + (fx + 18)
                    + " "
                    + fy
                    + " L "
                    + (fx + 34)
                    + " "
                    + (fy - 10)
                    + " L "
                    + (fx + 34)
                    + " "
                    + (fy + 10)
                    + " Z\" fill=\"#f29a38\"/><circle cx=\""
                    + (fx - 10)
                    + "\" cy=\""
                    + (fy - 3)
                    + "\" r=\"2\" fill=\"#222\"/>");
          }
          continue;
        }
        case SEAWEED -> {
          for (int i = 0; i < 3; i++) {
            int sx = x - 20 + i * 20;
            g.raw(
                "<path d=\"M "
                    + sx
                    + " "
                    + (y + 60)
                    + " q -14 -30 0 -60 q 14 -30 0 -60\" fill=\"none\" stroke=\"#2e8b57\""
                    + " stroke-width=\"7\" stroke-linecap=\"round\"/>");
          }
        }
        case BUBBLE -> {
          for (int i = 0; i < 8; i++) {
            g.raw(
                "<circle cx=\""
                    + (40 + r.nextInt(720))
                    + "\" cy=\""
                    + (40 + r.nextInt(330))
                    + "\" r=\""
                    + (4 + r.nextInt(8))
                    + "\" fill=\"none\" stroke=\"#e6f7ff\" stroke-width=\"2\" opacity=\"0.8\"/>");
          }
          continue;
        }
        case CLOUD, SUN, MOON, STAR, MOUNTAIN, VOLCANO, RAINBOW -> {
          continue; // drawn with the sky
        }
      }
      slot++;
    }
  }

  private static void figures(Svg g, ScenePlan plan, SplittableRandom r) {
    int n = plan.looks().size();
    if (n == 0) {
      return;
    }
    int spacing = Math.min(170, 560 / n);
    int start = WIDTH / 2 - spacing * (n - 1) / 2;
    for (int i = 0; i < n; i++) {
      Look look = plan.looks().get(i);
      int x = start + i * spacing + r.nextInt(21) - 10;
      int y = 540 + r.nextInt(20);
      // Each character keeps its skin and hair colours across pictures: seeded by its place in the
      // cast.
      SplittableRandom own =
          new SplittableRandom(look.body().hashCode() * 31L + look.shape().ordinal() * 7919L + i);
      figure(g, look, x, y, own);
    }
  }

  private static void figure(Svg g, Look look, int x, int y, SplittableRandom r) {
    String body = look.body();
    String accent = look.accent();
    String eyes =
        "<circle cx=\""
            + (x - 9)
            + "\" cy=\""
            + (y - 118)
            + "\" r=\"4\" fill=\"#222\"/><circle cx=\""
            + (x + 9)
            + "\" cy=\""
            + (y - 118)
            + "\" r=\"4\" fill=\"#222\"/><path d=\"M "
            + (x - 9)
            + " "
            + (y - 104)
            + " Q "
            + x
            + " "
            + (y - 96)
            + " "
            + (x + 9)
            + " "
            + (y - 104)
            + "\" fill=\"none\" stroke=\"#222\" stroke-width=\"3\" stroke-linecap=\"round\"/>";
    switch (look.shape()) {
      case CHILD -> {
        String skin = SKIN[r.nextInt(SKIN.length)];
        String hair = HAIR[r.nextInt(HAIR.length)];
        g.raw(
            "<rect x=\""
                + (x - 16)
                + "\" y=\""
                + (y - 40)
                + "\" width=\"12\" height=\"40\" rx=\"5\" fill=\""
                + accent
                + "\"/>"
                + "<rect x=\""
                + (x + 4)
                + "\" y=\""
                + (y - 40)
                + "\" width=\"12\" height=\"40\" rx=\"5\" fill=\""
                + accent
                + "\"/>"
                + "<path d=\"M "
                + (x - 30)
                + " "
                + (y - 36)
                + " L "
                + (x - 20)
                + " "
                + (y - 92)
                + " L "
                + (x + 20)
                + " "
                + (y - 92)
                + " L "
                + (x + 30)
                + " "
                + (y - 36)
                + " Z\" fill=\""
                + body
                + "\"/>"
                + line(x - 20, y - 86, x - 40, y - 56, skin, 9)
                + line(x + 20, y - 86, x + 40, y - 56, skin, 9)
                + "<circle cx=\""
                + x
                + "\" cy=\""
                + (y - 118)
                + "\" r=\"28\" fill=\""
                + skin
                + "\"/>"
                + "<path d=\"M "
                + (x - 29)
                + " "
                + (y - 118)
                + " Q "
                + x
                + " "
                + (y - 168)
                + " "
                + (x + 29)
                + " "
                + (y - 118)
                + " Q "
                + x
                + " "
                + (y - 138)
                + " "
                + (x - 29)
                + " "
                + (y - 118)
                + " Z\" fill=\""
                + hair
                + "\"/>"
                + eyes);
      }
      case ROBOT ->
          g.raw(
              "<rect x=\""
                  + (x - 30)
                  + "\" y=\""
                  + (y - 90)
                  + "\" width=\"60\" height=\"70\" rx=\"8\" fill=\""
                  + body
                  + "\"/><rect x=\""
                  + (x - 24)
                  + "\" y=\""
                  + (y - 146)
                  + "\" width=\"48\" height=\"50\" rx=\"8\" fill=\""
                  + body
                  + "\"/>"
                  + line(x, y - 146, x, y - 166, accent, 4)
                  + "<circle cx=\""
                  + x
                  + "\" cy=\""
                  + (y - 168)
                  + "\" r=\"6\" fill=\"#e5533d\"/>"
                  + "<rect x=\""
                  + (x - 22)
                  + "\" y=\""
                  + (y - 20)
                  + "\" width=\"14\" height=\"20\" fill=\""
                  + accent
                  + "\"/><rect x=\""
                  + (x + 8)
                  + "\" y=\""
                  + (y - 20)
                  + "\" width=\"14\" height=\"20\" fill=\""
                  + accent
                  + "\"/>"
                  + eyes);
      case FISH ->
          g.raw(
              "<ellipse cx=\""
                  + x
                  + "\" cy=\""
                  + (y - 110)
                  + "\" rx=\"50\" ry=\"30\" fill=\""
                  + body
                  + "\"/><path d=\"M "
                  + (x + 44)
                  + " "
                  + (y - 110)
                  + " L "
                  + (x + 78)
                  + " "
                  + (y - 134)
                  + " L "
                  + (x + 78)
                  + " "
                  + (y - 86)
                  + " Z\" fill=\""
                  + accent
                  + "\"/><circle cx=\""
                  + (x - 22)
                  + "\" cy=\""
                  + (y - 116)
                  + "\" r=\"5\" fill=\"#222\"/>");
      case OWL ->
          g.raw(
              "<ellipse cx=\""
                  + x
                  + "\" cy=\""
                  + (y - 70)
                  + "\" rx=\"40\" ry=\"56\" fill=\""
                  + body
                  + "\"/><ellipse cx=\""
                  + x
                  + "\" cy=\""
                  + (y - 56)
                  + "\" rx=\"24\" ry=\"34\" fill=\""
                  + accent
                  + "\"/><circle cx=\""
                  + (x - 15)
                  + "\" cy=\""
                  + (y - 100)
                  + "\" r=\"13\" fill=\"#fff\"/><circle cx=\""
                  + (x + 15)
                  + "\" cy=\""
                  + (y - 100)
                  + "\" r=\"13\" fill=\"#fff\"/>"
                  + "<circle cx=\""
                  + (x - 15)
                  + "\" cy=\""
                  + (y - 100)
                  + "\" r=\"6\" fill=\"#222\"/><circle cx=\""
                  + (x + 15)
                  + "\" cy=\""
                  + (y - 100)
                  + "\" r=\"6\" fill=\"#222\"/><path d=\"M "
                  + (x - 5)
                  + " "
                  + (y - 88)
                  + " L "
                  + (x + 5)
                  + " "
                  + (y - 88)
                  + " L "
                  + x
                  + " "
                  + (y - 78)
                  + " Z\" fill=\"#f29a38\"/>");
      case DINOSAUR, DRAGON -> {
        g.raw(
            "<path d=\"M "
                + (x + 40)
                + " "
                + (y - 40)
                + " Q "
                + (x + 100)
                + " "
                + (y - 30)
                + " "
                + (x + 110)
                + " "
                + (y - 70)
                + " Q "
                + (x + 80)
                + " "
                + (y - 50)
                + " "
                + (x + 40)
                + " "
                + (y - 60)
                + " Z\" fill=\""
                + body
                + "\"/>"
                + "<ellipse cx=\""
                + x
                + "\" cy=\""
                + (y - 55)
                + "\" rx=\"50\" ry=\"36\" fill=\""
                + body
                + "\"/>"
                + "<rect x=\""
                + (x - 36)
                + "\" y=\""
                + (y - 30)
                + "\" width=\"16\" height=\"30\" rx=\"6\" fill=\""
                + body
                + "\"/>"
                + "<rect x=\""
                + (x + 16)
                + "\" y=\""
                + (y - 30)
                + "\" width=\"16\" height=\"30\" rx=\"6\" fill=\""
                + body
                + "\"/>"
                + line(x - 30, y - 80, x - 20, y - 120, body, 26)
                + "<circle cx=\""
                + x
                + "\" cy=\""
                + (y - 118)
                + "\" r=\"26\" fill=\""
                + body
                + "\"/><ellipse cx=\""
                + x
                + "\" cy=\""
                + (y - 55)
                + "\" rx=\"28\" ry=\"20\" fill=\""
                + accent
                + "\"/>"
                + eyes);
        if (look.shape() == Look.Shape.DRAGON) {
          g.raw(
              "<path d=\"M "
                  + (x - 10)
                  + " "
                  + (y - 80)
                  + " L "
                  + (x - 70)
                  + " "
                  + (y - 140)
                  + " L "
                  + (x - 50)
                  + " "
                  + (y - 70)
                  + " Z\" fill=\""
                  + accent
                  + "\"/><path d=\"M "
                  + (x + 10)
                  + " "
                  + (y - 80)
                  + " L "
                  + (x + 70)
                  + " "
                  + (y - 140)
                  + " L "
                  + (x + 50)
                  + " "
                  + (y - 70)
                  + " Z\" fill=\""
                  + accent
                  + "\"/>");
        }
      }
      default -> animal(g, look, x, y, eyes);
    }
  }

  private static void animal(Svg g, Look look, int x, int y, String eyes) {
    String body = look.body();
    String accent = look.accent();
    String ears =
        switch (look.shape()) {
          case CAT, FOX ->
              "<path d=\"M "
                  + (x - 24)
                  + " "
                  + (y - 132)
                  + " L "
                  + (x - 20)
                  + " "
                  + (y - 160)
                  + " L "
                  + (x - 4)
                  + " "
                  + (y - 142)
                  + " Z M "
                  + (x + 24)
                  + " "
                  + (y - 132)
                  + " L "
                  + (x + 20)
                  + " "
                  + (y - 160)
                  + " L "
                  + (x + 4)
                  + " "
                  + (y - 142)
                  + " Z\" fill=\""
                  + body
                  + "\"/>";
          case BUNNY ->
              "<ellipse cx=\""
                  + (x - 12)
                  + "\" cy=\""
                  + (y - 166)
                  + "\" rx=\"8\" ry=\"28\" fill=\""
                  + body
                  + "\"/><ellipse cx=\""
                  + (x + 12)
                  + "\" cy=\""
                  + (y - 166)
                  + "\" rx=\"8\" ry=\"28\" fill=\""
                  + body
                  + "\"/>";
          case DOG ->
              "<ellipse cx=\""
                  + (x - 28)
                  + "\" cy=\""
                  + (y - 116)
                  + "\" rx=\"10\" ry=\"22\" fill=\""
                  + accent
                  + "\"/><ellipse cx=\""
                  + (x + 28)
                  + "\" cy=\""
                  + (y - 116)
                  + "\" rx=\"10\" ry=\"22\" fill=\""
                  + accent
                  + "\"/>";
          case MOUSE ->
              "<circle cx=\""
                  + (x - 26)
                  + "\" cy=\""
                  + (y - 142)
                  + "\" r=\"16\" fill=\""
                  + body
                  + "\"/><circle cx=\""
                  + (x + 26)
                  + "\" cy=\""
                  + (y - 142)
                  + "\" r=\"16\" fill=\""
                  + body
                  + "\"/>";
          default ->
              "<circle cx=\""
                  + (x - 22)
                  + "\" cy=\""
                  + (y - 140)
                  + "\" r=\"10\" fill=\""
                  + body
                  + "\"/><circle cx=\""
                  + (x + 22)
                  + "\" cy=\""
                  + (y - 140)
                  + "\" r=\"10\" fill=\""
                  + body
                  + "\"/>";
        };
    g.raw(
        "<ellipse cx=\""
            + x
            + "\" cy=\""
            + (y - 50)
            + "\" rx=\"38\" ry=\"46\" fill=\""
            + body
            + "\"/>"
            + "<ellipse cx=\""
            + x
            + "\" cy=\""
            + (y - 42)
            + "\" rx=\"22\" ry=\"28\" fill=\""
            + accent
            + "\"/>"
            + ears
            + "<circle cx=\""
            + x
            + "\" cy=\""
            + (y - 116)
            + "\" r=\"30\" fill=\""
            + body
            + "\"/>"
            + eyes
            + "<ellipse cx=\""
            + x
            + "\" cy=\""
            + (y - 109)
            + "\" rx=\"5\" ry=\"4\" fill=\"#222\"/>");
  }

  private static void stars(Svg g, SplittableRandom r, int count) {
    for (int i = 0; i < count; i++) {
      g.raw(
          "<circle cx=\""
              + r.nextInt(WIDTH)
              + "\" cy=\""
              + r.nextInt(HORIZON - 60)
              + "\" r=\""
              + (1 + r.nextInt(3))
              + "\" fill=\"#fffbe0\"/>");
    }
  }

  /** A plain triangle standing on the horizon, from {@code left} to {@code right}. */
  private static void mountain(Svg g, int left, int peakX, int peakY, int right, String colour) {
    g.raw(
        "<path d=\"M "
            + left
            + " "
            + HORIZON
            + " L "
            + peakX
            + " "
            + peakY
            + " L "
            + right
            + " "
            + HORIZON
            + " Z\" fill=\""
            + colour
            + "\"/>");
  }

  private static void cloud(Svg g, int x, int y) {
    g.raw(
        "<g fill=\"#ffffff\" opacity=\"0.9\"><circle cx=\""
            + x
            + "\" cy=\""
            + y
            + "\" r=\"26\"/><circle cx=\""
            + (x + 30)
            + "\" cy=\""
            + (y - 12)
            + "\" r=\"32\"/><circle cx=\""
            + (x + 62)
            + "\" cy=\""
            + y
            + "\" r=\"24\"/><rect x=\""
            + x
            + "\" y=\""
            + y
            + "\" width=\"62\" height=\"24\"/></g>");
  }

  private static void tree(Svg g, int x, int y, SplittableRandom r) {
    int h = 90 + r.nextInt(40);
    g.raw(
        "<rect x=\""
            + (x - 8)
            + "\" y=\""
            + (y - h / 2)
            + "\" width=\"16\" height=\""
            + (h / 2)
            + "\" fill=\"#8b5a2b\"/>"
            + "<circle cx=\""
            + x
            + "\" cy=\""
            + (y - h / 2 - 20)
            + "\" r=\""
            + (34 + r.nextInt(10))
            + "\" fill=\""
            + (r.nextBoolean() ? "#3f9b4a" : "#4caf50")
            + "\"/>");
  }

  private static void palm(Svg g, int x, int y) {
    g.raw(
        "<path d=\"M "
            + x
            + " "
            + y
            + " Q "
            + (x + 10)
            + " "
            + (y - 70)
            + " "
            + (x - 4)
            + " "
            + (y - 130)
            + "\" fill=\"none\" stroke=\"#8b5a2b\" stroke-width=\"10\"/>");
    for (int i = -2; i <= 2; i++) {
      g.raw(
          "<path d=\"M "
              + (x - 4)
              + " "
              + (y - 130)
              + " q "
              + (i * 22)
              + " -26 "
              + (i * 44)
              + " "
              + (Math.abs(i) * 12)
              + "\" fill=\"none\" stroke=\"#2e8b57\" stroke-width=\"9\" stroke-linecap=\"round\"/>");
    }
  }

  private static void flower(Svg g, int x, int y, String colour) {
    g.raw(
        line(x, y, x, y + 20, "#2e8b57", 3)
            + "<circle cx=\""
            + x
            + "\" cy=\""
            + y
            + "\" r=\"7\" fill=\""
            + colour
            + "\"/><circle cx=\""
            + x
            + "\" cy=\""
            + y
            + "\" r=\"3\" fill=\"#f5cd47\"/>");
  }

  private static void house(Svg g, int x, int y, boolean night) {
    g.raw(
        "<rect x=\""
            + (x - 45)
            + "\" y=\""
            + (y - 70)
            + "\" width=\"90\" height=\"70\" fill=\"#f4e1c1\"/><path d=\"M "
            + (x - 55)
            + " "
            + (y - 68)
            + " L "
            + x
            + " "
            + (y - 115)
            + " L "
            + (x + 55)
            + " "
            + (y - 68)
            + " Z\" fill=\"#c0392b\"/>"
            + "<rect x=\""
            + (x - 10)
            + "\" y=\""
            + (y - 36)
            + "\" width=\"20\" height=\"36\" fill=\"#8b5a2b\"/><rect x=\""
            + (x + 18)
            + "\" y=\""
            + (y - 56)
            + "\" width=\"18\" height=\"16\" fill=\""
            + (night ? "#fdd835" : "#a7d8f5")
            + "\"/>");
  }

  private static void castle(Svg g, int x, int y) {
    g.raw(
        "<g fill=\"#c9c3d6\"><rect x=\""
            + (x - 60)
            + "\" y=\""
            + (y - 110)
            + "\" width=\"120\" height=\"110\"/><rect x=\""
            + (x - 80)
            + "\" y=\""
            + (y - 150)
            + "\" width=\"34\" height=\"150\"/><rect x=\""
            + (x + 46)
            + "\" y=\""
            + (y - 150)
            + "\" width=\"34\" height=\"150\"/></g><path d=\"M "
            + (x - 84)
            + " "
            + (y - 150)
            + " L "
            + (x - 63)
            + " "
            + (y - 186)
            + " L "
            + (x - 42)
            + " "
            + (y - 150)
            + " Z M "
            + (x + 42)
            + " "
            + (y - 150)
            + " L "
            + (x + 63)
            + " "
            + (y - 186)
            + " L "
            + (x + 84)
            + " "
            + (y - 150)
            + " Z\" fill=\"#9b6bcc\"/><path d=\"M "
            + (x - 16)
            + " "
            + y
            + " L "
            + (x - 16)
            + " "
            + (y - 36)
            + " Q "
            + x
            + " "
            + (y - 56)
            + " "
            + (x + 16)
            + " "
            + (y - 36)
            + " L "
            + (x + 16)
            + " "
            + y
            + " Z\" fill=\"#6d4c41\"/>");
  }

  private static String line(int x1, int y1, int x2, int y2, String colour, int width) {
    return "<line x1=\""
        + x1
        + "\" y1=\""
        + y1
        + "\" x2=\""
        + x2
        + "\" y2=\""
        + y2
        + "\" stroke=\""
        + colour
        + "\" stroke-width=\""
        + width
        + "\" stroke-linecap=\"round\"/>";
  }

  private static String darker(String hex) {
    int v = Integer.parseInt(hex.substring(1), 16);
    int red = ((v >> 16) & 0xff) * 6 / 10;
    int green = ((v >> 8) & 0xff) * 6 / 10;
    int blue = (v & 0xff) * 6 / 10;
    return String.format(java.util.Locale.ROOT, "#%02x%02x%02x", red, green, blue);
  }

  /** Builds the document; {@link #text} escapes, {@link #raw} is for markup written here. */
  static final class Svg {
    private final StringBuilder b = new StringBuilder(16 * 1024);

    Svg raw(String markup) {
      b.append(markup);
      return this;
    }

    Svg text(String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        switch (c) {
          case '<' -> b.append("&lt;");
          case '>' -> b.append("&gt;");
          case '&' -> b.append("&amp;");
          case '"' -> b.append("&quot;");
          case '\'' -> b.append("&apos;");
          default -> {
            if (c >= 0x20 || c == '\n' || c == '\t') {
              b.append(c);
            }
          }
        }
      }
      return this;
    }

    @Override
    public String toString() {
      return b.toString();
    }
  }
}
