package dev.storymagic.art;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AssetKind;
import dev.storymagic.AssetType;
import dev.storymagic.CacheTier;
import dev.storymagic.Story;
import dev.storymagic.StoryRequest;
import dev.storymagic.Timings;
import dev.storymagic.spi.GeneratedAsset;
import dev.storymagic.spi.Illustrator;
import dev.storymagic.testing.SampleStories;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class OfflineIllustratorTest {
  private final Illustrator illustrator = Illustrator.offline();

  @Test
  void draws_a_cover_and_one_picture_per_scene_as_parseable_svg() throws Exception {
    Story story = SampleStories.story("owner-1");
    List<GeneratedAsset> pictures = illustrator.illustrate(story, 3);

    assertThat(pictures)
        .extracting(GeneratedAsset::kind)
        .containsExactly(AssetKind.COVER, AssetKind.SCENE, AssetKind.SCENE, AssetKind.SCENE);
    assertThat(pictures).extracting(GeneratedAsset::index).containsExactly(0, 1, 2, 3);
    for (GeneratedAsset p : pictures) {
      assertThat(p.type()).isEqualTo(AssetType.SVG);
      Document svg = parse(p.bytes());
      assertThat(svg.getDocumentElement().getLocalName()).isEqualTo("svg");
      assertThat(svg.getDocumentElement().getNamespaceURI())
          .isEqualTo("http://www.w3.org/2000/svg");
      assertThat(svg.getElementsByTagNameNS("*", "script").getLength()).isZero();
      assertThat(svg.getElementsByTagNameNS("*", "foreignObject").getLength()).isZero();
      assertThat(svg.getElementsByTagNameNS("*", "circle").getLength())
          .as("a picture has shapes")
          .isGreaterThan(3);
      NodeList titles = svg.getElementsByTagNameNS("*", "title");
      assertThat(titles.getLength()).isEqualTo(1);
      assertThat(titles.item(0).getTextContent()).isEqualTo(p.altText());
    }
  }

  @Test
  void the_same_story_gives_the_same_bytes_and_scenes_differ() {
    Story story = SampleStories.story("owner-1");
    List<GeneratedAsset> first = illustrator.illustrate(story, 3);
    List<GeneratedAsset> again = illustrator.illustrate(SampleStories.story("someone-else"), 3);

    assertThat(again).isEqualTo(first);
    assertThat(first.get(1).bytes()).isNotEqualTo(first.get(2).bytes());
  }

  @Test
  void the_number_of_scenes_is_bounded_by_the_paragraphs_and_the_maximum() {
    Story story = SampleStories.story("o");
    assertThat(illustrator.illustrate(story, 0)).hasSize(1);
    assertThat(illustrator.illustrate(story, 50)).hasSize(1 + story.paragraphs().size());
    assertThat(Illustrator.MAX_SCENES).isLessThan(50);
  }

  @Test
  void colours_and_figures_come_from_the_descriptions() {
    Story story = withCharacters("a girl in a red coat", "a green dragon");
    String cover =
        new String(illustrator.illustrate(story, 0).get(0).bytes(), StandardCharsets.UTF_8);
    assertThat(cover).contains("#e5533d").contains("#5cb85c");
    assertThat(illustrator.illustrate(story, 0).get(0).altText())
        .contains("a child in red")
        .contains("a green dragon");
  }

  @Test
  void no_name_or_user_text_reaches_the_picture_even_when_it_is_markup() throws Exception {
    Story story =
        withCharacters(
            "<script>alert(1)</script> call 555-0100 Mia@example.com \"quoted\" & more",
            "a blue cat ]]> <!ENTITY x> & friends");
    for (GeneratedAsset p : illustrator.illustrate(story, 6)) {
      String svg = new String(p.bytes(), StandardCharsets.UTF_8);
      parse(p.bytes());
      assertThat(svg)
          .doesNotContain("script")
          .doesNotContain("555")
          .doesNotContain("example.com")
          .doesNotContain("quoted")
          .doesNotContain("ENTITY")
          .doesNotContain("Mia")
          .doesNotContain("Zed");
      assertThat(p.altText()).doesNotContain("Mia").doesNotContain("Zed").doesNotContain("<");
    }
  }

  @Test
  void every_theme_draws() throws Exception {
    for (String theme :
        List.of(
            "space",
            "ocean",
            "forest",
            "dinosaurs",
            "dragons",
            "pirates",
            "friendship",
            "bedtime",
            "animals",
            "superheroes",
            "a-theme-added-by-an-application")) {
      Story base = SampleStories.story("o");
      StoryRequest request = base.request().toBuilder().theme(theme).build();
      Story story =
          base.deliveredAs(
              base.id(),
              request,
              CacheTier.NONE,
              new Timings(Duration.ZERO, Duration.ZERO),
              base.createdAt());
      for (GeneratedAsset p : illustrator.illustrate(story, 2)) {
        parse(p.bytes());
      }
    }
  }

  private static Story withCharacters(String first, String second) {
    Story base = SampleStories.story("o");
    StoryRequest request =
        base.request().toBuilder()
            .characters(List.of())
            .character("Mia", first)
            .character("Zed", second)
            .build();
    return base.deliveredAs(
        base.id(),
        request,
        CacheTier.NONE,
        new Timings(Duration.ZERO, Duration.ZERO),
        base.createdAt());
  }

  static Document parse(byte[] svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
  }
}
