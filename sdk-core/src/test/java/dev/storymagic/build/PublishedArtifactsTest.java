package dev.storymagic.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The repository's publication rules, checked from the POMs: every module that is published (not a
 * {@code pom}, not {@code maven.deploy.skip}) is in {@code storymagic-bom}, and the BOM names
 * nothing else. Runs in sdk-core because it is built first; the POMs are read from the repository
 * root.
 */
class PublishedArtifactsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theBomListsExactlyThePublishedModules() throws Exception {
    List<String> published = new ArrayList<>();
    for (Element module :
        children(directChild(read(ROOT.resolve("pom.xml")), "modules"), "module")) {
      Element pom = read(ROOT.resolve(module.getTextContent().trim()).resolve("pom.xml"));
      Element packaging = directChild(pom, "packaging");
      Element properties = directChild(pom, "properties");
      Element skip = properties == null ? null : directChild(properties, "maven.deploy.skip");
      boolean isPom = packaging != null && packaging.getTextContent().trim().equals("pom");
      boolean skipped = skip != null && skip.getTextContent().trim().equals("true");
      if (!isPom && !skipped) {
        published.add(directChild(pom, "artifactId").getTextContent().trim());
      }
    }

    List<String> inBom = new ArrayList<>();
    Element bom = read(ROOT.resolve("bom/pom.xml"));
    for (Element dependency :
        children(
            directChild(directChild(bom, "dependencyManagement"), "dependencies"), "dependency")) {
      assertThat(directChild(dependency, "groupId").getTextContent()).isEqualTo("dev.storymagic");
      inBom.add(directChild(dependency, "artifactId").getTextContent().trim());
    }

    assertThat(published).as("published modules").contains("storymagic-core", "storymagic-store");
    assertThat(inBom).containsExactlyInAnyOrderElementsOf(published);
  }

  private static Element read(Path pom) throws Exception {
    assertThat(pom).exists();
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    try (var in = Files.newInputStream(pom)) {
      Document document = factory.newDocumentBuilder().parse(in);
      return document.getDocumentElement();
    }
  }

  private static Element directChild(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element e && e.getTagName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }
}
