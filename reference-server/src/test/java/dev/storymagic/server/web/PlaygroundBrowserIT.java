package dev.storymagic.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.server.ServerConfig;
import dev.storymagic.server.StoryMagicServer;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web playground end to end: a real headless Chromium, driven by Selenium, against the server
 * on embedded defaults (offline story engine, in-memory store, development identity) on a free
 * port. Screenshots are written to {@code target/screenshots}.
 *
 * <p>Needs the Debian packages {@code chromium} and {@code chromium-driver}; {@code .ci/run}
 * installs them when missing.
 */
class PlaygroundBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Duration STORY_TIMEOUT = Duration.ofSeconds(45);
  private static final List<String> FRESH_NAMES =
      List.of("Pip", "Juno", "Otto", "Wren", "Milo", "Tess", "Kit", "Nell");
  private static final AtomicInteger FRESH = new AtomicInteger();

  private static StoryMagicServer server;

  private ChromeDriver driver;
  private Path profile;

  @BeforeAll
  static void startServer() throws IOException {
    assertThat(CHROMIUM)
        .as(
            "Chromium is missing: install the Debian packages chromium and chromium-driver "
                + "(.ci/run does this)")
        .isExecutable();
    assertThat(CHROMEDRIVER)
        .as(
            "ChromeDriver is missing: install the Debian package chromium-driver "
                + "(.ci/run does this)")
        .isExecutable();
    Files.createDirectories(SCREENSHOTS);
    server = StoryMagicServer.start(config(Map.of()), line -> {});
    // An explicit driver keeps Selenium Manager from looking for (or downloading) one.
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void openBrowser() throws Exception {
    // Every test starts with no stories: the development identity is shared by all of them.
    assertThat(httpStatus(server, "DELETE", "/api/me")).isEqualTo(200);
    profile = Files.createTempDirectory("storymagic-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--lang=en-GB",
        "--window-size=1280,1000",
        "--user-data-dir=" + profile.toAbsolutePath());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    // Each browser has its own driver process; quit() ends both.
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(Path.of("target", "chromedriver.log").toFile())
            .withAppendLog(true)
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    cdp(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", 1280, "height", 1000, "deviceScaleFactor", 1, "mobile", false));
  }

  @AfterEach
  void closeBrowser() throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @Test
  void aStoryStreamsInIsListedReopenedAndDeleted() throws Exception {
    open(server);
    Select theme = new Select(byId("theme"));
    assertThat(theme.getOptions())
        .extracting(WebElement::getText)
        .contains("Space adventure", "Under the sea", "Dragons and castles");
    assertThat(driver.findElement(By.cssSelector("#library-empty")).isDisplayed()).isTrue();

    theme.selectByValue("ocean");
    assertThat(byId("theme-hint").getText()).isEqualTo("Coral reefs, whales and sunken treasure.");
    choose("ageGroup-9-12");
    typeCharacter(1, "Mia", "a curious girl who loves whales");
    byId("add-character").click();
    typeCharacter(2, "Leo", "her brave little brother");
    byId("setting").sendKeys("a lighthouse by the sea");
    byId("moral").sendKeys("helping each other");
    choose("length-long");
    screenshot("01-form-filled");

    recordStoryStates();
    byId("generate").click();

    // Text is on the page while the story is still being written.
    wait(STORY_TIMEOUT, Duration.ofMillis(20))
        .until(d -> state().equals("streaming") && storyText().length() > 0);
    String early = storyText();
    screenshot("02-streaming");
    assertThat(byId("generate").isEnabled())
        .as("the button is disabled while a story is written")
        .isFalse();

    wait(STORY_TIMEOUT, Duration.ofMillis(50)).until(d -> !state().equals("streaming"));
    assertThat(state()).as(noticeText()).isEqualTo("complete");
    String storyId = byId("story").getAttribute("data-story-id");
    String title = byId("story-title").getText();
    List<WebElement> paragraphs = driver.findElements(By.cssSelector("#story-body p"));
    assertThat(title).isNotBlank().isNotEqualTo("Writing your story");
    assertThat(paragraphs).hasSizeGreaterThan(2);
    assertThat(storyText()).contains("Mia").hasSizeGreaterThan(early.length());
    assertThat(byId("story-meta").getText()).contains("Under the sea", "ages 9–12", "words");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> seen = (List<Map<String, Object>>) js("return window.__storyStates;");
    List<Long> streamingLengths =
        seen.stream()
            .filter(s -> "streaming".equals(s.get("state")))
            .map(s -> (Long) s.get("length"))
            .filter(length -> length > 0)
            .distinct()
            .toList();
    assertThat(streamingLengths)
        .as("the text grew several times before the story was complete")
        .hasSizeGreaterThan(3);

    assertStoryTypeIsLargeAndReadable(paragraphs.get(0));
    screenshot("03-story-complete");

    WebElement item =
        wait(Duration.ofSeconds(10), Duration.ofMillis(50))
            .until(
                d ->
                    d
                        .findElements(
                            By.cssSelector("#library-list li[data-story-id='" + storyId + "']"))
                        .stream()
                        .findFirst()
                        .orElse(null));
    assertThat(item.getText()).contains(title, "Under the sea");
    assertThat(byId("library-empty").isDisplayed()).isFalse();

    // A fresh visit: the story is still in "my stories" and opens again.
    open(server);
    WebElement listed =
        wait(Duration.ofSeconds(10), Duration.ofMillis(50))
            .until(
                d ->
                    d
                        .findElements(
                            By.cssSelector(
                                "#library-list li[data-story-id='" + storyId + "'] .library-open"))
                        .stream()
                        .findFirst()
                        .orElse(null));
    assertThat(state()).isEqualTo("empty");
    listed.click();
    wait(Duration.ofSeconds(10), Duration.ofMillis(50)).until(d -> state().equals("complete"));
    assertThat(byId("story").getAttribute("data-story-id")).isEqualTo(storyId);
    assertThat(byId("story-title").getText()).isEqualTo(title);
    assertThat(driver.findElements(By.cssSelector("#story-body p"))).hasSameSizeAs(paragraphs);
    assertThat(driver.switchTo().activeElement().getAttribute("id"))
        .as("focus moves to the opened story")
        .isEqualTo("story-title");
    screenshot("04-reopened");

    driver
        .findElement(
            By.cssSelector("#library-list li[data-story-id='" + storyId + "'] .delete-story"))
        .click();
    wait(Duration.ofSeconds(10), Duration.ofMillis(50))
        .until(
            d ->
                d.findElements(By.cssSelector("#library-list li[data-story-id='" + storyId + "']"))
                    .isEmpty());
    assertThat(state()).as("the deleted story leaves the reader").isEqualTo("empty");
    assertThat(byId("library-empty").isDisplayed()).isTrue();
    assertThat(byId("status").getAttribute("textContent")).isEqualTo("Deleted “" + title + "”.");
    assertThat(httpStatus(server, "GET", "/api/stories/" + storyId)).isEqualTo(404);
    screenshot("05-deleted");
    assertNoBrowserErrors();
  }

  @Test
  void aStoryShowsItsPicturesAndIsReadAloudSentenceBySentence() throws Exception {
    open(server);
    new Select(byId("theme")).selectByValue("space");
    choose("ageGroup-3-5");
    typeCharacter(1, "Mia", "a girl in a red coat");
    byId("generate").click();
    wait(STORY_TIMEOUT, Duration.ofMillis(50))
        .until(
            d ->
                "complete".equals(state())
                    && "ready".equals(byId("story").getAttribute("data-pictures")));

    // The cover leads the story; scene pictures sit among the paragraphs; every picture has loaded.
    List<WebElement> figures =
        driver.findElements(By.cssSelector("#story-body figure.story-picture"));
    assertThat(figures).hasSizeGreaterThanOrEqualTo(2);
    assertThat(
            driver
                .findElement(By.cssSelector("#story-body > :first-child"))
                .getAttribute("data-kind"))
        .isEqualTo("cover");
    wait(Duration.ofSeconds(10), Duration.ofMillis(50))
        .until(
            d ->
                (Boolean)
                    js(
                        "return [...document.querySelectorAll('#story-body figure img')].every(i => i.complete && i.naturalWidth > 0);"));
    for (WebElement img : driver.findElements(By.cssSelector("#story-body figure img"))) {
      assertThat(img.getAttribute("src"))
          .matches("http://127\\.0\\.0\\.1:\\d+/assets/stories/[0-9a-f]{64}\\.svg");
      assertThat(img.getAttribute("alt")).contains("red").doesNotContain("Mia");
    }
    screenshot("06-pictures");

    // The browser's own speech engine is there and reading starts with it.
    assertThat(js("return typeof window.speechSynthesis.speak;")).isEqualTo("function");
    WebElement read = byId("read-aloud");
    assertThat(read.isDisplayed()).isTrue();
    js(
        "window.__spokenByBrowser = []; const engine = window.speechSynthesis; const speak = engine.speak.bind(engine);"
            + " engine.speak = (u) => { window.__spokenByBrowser.push(u.text); speak(u); };");
    String firstSentence =
        driver.findElement(By.cssSelector("#story-body .sentence")).getText().trim();
    read.click();
    wait(Duration.ofSeconds(5), Duration.ofMillis(20))
        .until(d -> ((Number) js("return window.__spokenByBrowser.length;")).intValue() > 0);
    assertThat(js("return window.__spokenByBrowser[0];")).isEqualTo(firstSentence);
    // Headless Chromium has no voices: its engine ends the utterance with an error and the button
    // comes back. With voices, reading goes on sentence by sentence, as the scripted engine below
    // shows.
    if (read.getText().equals("Stop reading")) {
      read.click();
    }
    wait(Duration.ofSeconds(5), Duration.ofMillis(20))
        .until(d -> read.getText().equals("Read aloud"));
    assertThat(read.getAttribute("aria-pressed")).isEqualTo("false");

    // Headless Chromium has no voices, so its engine never reports a sentence as started. A
    // scripted
    // engine with the same speak/cancel contract stands in for it here, so the highlighting that
    // follows the start and end events of each sentence can be checked step by step.
    js(
        "window.storymagicSpeechForTests = { spoken: [], rates: [], current: null,"
            + " speak(u) { this.spoken.push(u.text); this.rates.push(u.rate); this.current = u; u.onstart(new Event('start')); },"
            + " cancel() { this.current = null; },"
            + " finish() { const u = this.current; this.current = null; u.onend(new Event('end')); } };");
    List<WebElement> sentences = driver.findElements(By.cssSelector("#story-body .sentence"));
    assertThat(sentences).hasSizeGreaterThan(3);
    read.click();
    assertThat(sentences.get(0).getAttribute("class")).contains("reading");
    assertThat(js("return window.storymagicSpeechForTests.spoken[0];"))
        .isEqualTo(sentences.get(0).getText().trim());
    assertThat(((Number) js("return window.storymagicSpeechForTests.rates[0];")).doubleValue())
        .isCloseTo(0.85, org.assertj.core.data.Offset.offset(1e-6));
    screenshot("07-reading-aloud");
    js("window.storymagicSpeechForTests.finish();");
    assertThat(sentences.get(0).getAttribute("class")).doesNotContain("reading");
    assertThat(sentences.get(1).getAttribute("class")).contains("reading");
    assertThat(driver.findElements(By.cssSelector("#story-body .sentence.reading"))).hasSize(1);
    for (int i = 1; i < sentences.size(); i++) {
      js("window.storymagicSpeechForTests.finish();");
    }
    assertThat(driver.findElements(By.cssSelector("#story-body .sentence.reading"))).isEmpty();
    assertThat(read.getText()).isEqualTo("Read aloud");
    assertThat(((Number) js("return window.storymagicSpeechForTests.spoken.length;")).intValue())
        .isEqualTo(sentences.size());
    assertNoBrowserErrors();
  }

  @Test
  void anUnsafeCharacterNameIsExplainedInPlainWords() throws Exception {
    open(server);
    typeCharacter(1, "kill everyone", "");
    byId("generate").click();

    wait(STORY_TIMEOUT, Duration.ofMillis(50)).until(d -> !state().equals("streaming"));
    WebElement notice = byId("notice");
    assertThat(notice.isDisplayed())
        .as("an explanation is shown; the story is " + state())
        .isTrue();
    assertThat(notice.getAttribute("data-code")).isEqualTo("unsafe_input");
    assertThat(notice.getText())
        .contains("That idea can't be used in a children's story because it mentions")
        .contains("violence")
        .doesNotContain("unsafe_input", "422", "violence/", "{");
    assertThat(state()).isEqualTo("error");
    assertThat(driver.findElements(By.cssSelector("#story-body p")))
        .extracting(WebElement::getText)
        .noneMatch(text -> text.contains("kill"));
    assertThat(byId("generate").isEnabled()).as("the form can be used again").isTrue();
    screenshot("06-unsafe-input");
  }

  @Test
  void aRateLimitSaysHowLongToWait() throws Exception {
    try (StoryMagicServer limited =
        StoryMagicServer.start(config(Map.of("RATE_LIMIT_PER_MINUTE", "1")), line -> {})) {
      open(limited);
      byId("generate").click();
      wait(STORY_TIMEOUT, Duration.ofMillis(50)).until(d -> state().equals("complete"));
      byId("generate").click();

      WebElement notice =
          wait(STORY_TIMEOUT, Duration.ofMillis(50))
              .until(
                  d -> {
                    WebElement n = byId("notice");
                    return n.isDisplayed() ? n : null;
                  });
      assertThat(notice.getAttribute("data-code")).isEqualTo("rate_limited");
      assertThat(notice.getText())
          .containsPattern("You're making stories very quickly — please wait [1-9][0-9]* seconds?")
          .doesNotContain("429", "rate_limited");
      screenshot("07-rate-limited");
    }
  }

  @Test
  void theGenerateButtonIsReachedByTabWithAVisibleFocusRingAndWorksFromTheKeyboard()
      throws Exception {
    open(server);
    String focused = "";
    for (int i = 0; i < 40 && !focused.equals("generate"); i++) {
      new Actions(driver).sendKeys(Keys.TAB).perform();
      focused = driver.switchTo().activeElement().getAttribute("id");
    }
    assertThat(focused).as("Tab reaches the generate button").isEqualTo("generate");
    @SuppressWarnings("unchecked")
    Map<String, Object> outline =
        (Map<String, Object>)
            js(
                "const s = getComputedStyle(document.activeElement);"
                    + "return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor,"
                    + " visible: document.activeElement.matches(':focus-visible')};");
    assertThat(outline.get("visible")).isEqualTo(true);
    assertThat(outline.get("style")).isEqualTo("solid");
    assertThat(((Number) outline.get("width")).doubleValue()).isGreaterThanOrEqualTo(2.0);
    assertThat(outline.get("color")).isNotIn("transparent", "rgba(0, 0, 0, 0)");
    screenshot("08-keyboard-focus");

    new Actions(driver).sendKeys(Keys.ENTER).perform();
    wait(STORY_TIMEOUT, Duration.ofMillis(50)).until(d -> state().equals("complete"));
    assertThat(driver.findElements(By.cssSelector("#story-body p"))).isNotEmpty();
  }

  @Test
  void everyControlHasALabel() {
    open(server);
    byId("add-character").click();
    @SuppressWarnings("unchecked")
    List<String> unlabelled =
        (List<String>)
            js(
                "return [...document.querySelectorAll('input, select, textarea')]"
                    + ".filter(c => !(c.labels && c.labels.length > 0 && c.labels[0].textContent.trim()))"
                    + ".map(c => c.outerHTML);");
    @SuppressWarnings("unchecked")
    List<String> unnamedButtons =
        (List<String>)
            js(
                "return [...document.querySelectorAll('button')]"
                    + ".filter(b => !b.hidden && !(b.getAttribute('aria-label') || b.textContent.trim()))"
                    + ".map(b => b.outerHTML);");

    assertThat(driver.findElements(By.cssSelector("#story-form input, #story-form select")))
        .hasSizeGreaterThan(8);
    assertThat(unlabelled).isEmpty();
    assertThat(unnamedButtons).isEmpty();
    assertThat(byId("character-2-name").getAttribute("id"))
        .isEqualTo(
            driver
                .findElement(By.cssSelector("label[for='character-2-name']"))
                .getAttribute("for"));
  }

  @Test
  void onAPhoneThePageFitsWithoutSidewaysScrolling() throws Exception {
    cdp(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", 375, "height", 812, "deviceScaleFactor", 2, "mobile", true));
    open(server);
    assertThat(((Number) js("return window.innerWidth;")).intValue()).isEqualTo(375);
    assertThat(horizontalOverflow()).as("sideways scrolling on the empty form").isZero();

    typeCharacter(1, "Ada", "an inventor who builds kind robots");
    byId("add-character").click();
    typeCharacter(2, "Bartholomew-Maximilian", "a very long-named, very polite tortoise");
    byId("generate").click();
    wait(STORY_TIMEOUT, Duration.ofMillis(50)).until(d -> state().equals("complete"));
    wait(Duration.ofSeconds(10), Duration.ofMillis(50))
        .until(d -> !d.findElements(By.cssSelector("#library-list li")).isEmpty());

    assertThat(horizontalOverflow()).as("sideways scrolling with a story and the list").isZero();
    assertStoryTypeIsLargeAndReadable(driver.findElement(By.cssSelector("#story-body p")));
    screenshot("09-phone");
    js("window.scrollTo(0, 0);");
    viewportScreenshot("10-phone-form");
    js("document.getElementById('story').scrollIntoView();");
    viewportScreenshot("11-phone-story");
    assertNoBrowserErrors();
  }

  @Test
  void withReducedMotionTheWritingCursorDoesNotBlink() throws Exception {
    open(server);
    typeFreshCharacter(1);
    byId("generate").click();
    wait(STORY_TIMEOUT, Duration.ofMillis(20))
        .until(d -> state().equals("streaming") && storyText().length() > 0);
    String animated = cursorAnimation();
    wait(STORY_TIMEOUT, Duration.ofMillis(50)).until(d -> state().equals("complete"));

    cdp(
        "Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-reduced-motion", "value", "reduce"))));
    open(server);
    typeFreshCharacter(1);
    byId("generate").click();
    wait(STORY_TIMEOUT, Duration.ofMillis(20))
        .until(d -> state().equals("streaming") && storyText().length() > 0);
    String still = cursorAnimation();
    wait(STORY_TIMEOUT, Duration.ofMillis(50)).until(d -> state().equals("complete"));

    assertThat(animated).isEqualTo("blink");
    assertThat(still).isEqualTo("none");
  }

  // ------------------------------------------------------------------ helpers

  private static ServerConfig config(Map<String, String> extra) {
    Map<String, String> env =
        new HashMap<>(Map.of("PORT", "0", "HOST", "127.0.0.1", "EMF_ENABLED", "false"));
    env.putAll(extra);
    return ServerConfig.fromEnvironment(env);
  }

  private void open(StoryMagicServer target) {
    driver.get("http://127.0.0.1:" + target.port() + "/");
    wait(Duration.ofSeconds(15), Duration.ofMillis(50))
        .until(
            d ->
                new Select(byId("theme")).getOptions().size() > 1
                    && !d.findElements(By.id("length-short")).isEmpty());
  }

  private void typeCharacter(int n, String name, String description) {
    WebElement nameField = byId("character-" + n + "-name");
    nameField.clear();
    nameField.sendKeys(name);
    WebElement descriptionField = byId("character-" + n + "-description");
    descriptionField.clear();
    if (!description.isEmpty()) {
      descriptionField.sendKeys(description);
    }
  }

  private void choose(String radioId) {
    driver.findElement(By.cssSelector("label:has(#" + radioId + ")")).click();
    assertThat(byId(radioId).isSelected()).as(radioId).isTrue();
  }

  private void recordStoryStates() {
    js(
        "window.__storyStates = [];"
            + "const story = document.getElementById('story');"
            + "const record = () => window.__storyStates.push({state: story.dataset.state,"
            + " length: document.getElementById('story-body').textContent.length});"
            + "new MutationObserver(record).observe(story, {subtree: true, childList: true, characterData: true,"
            + " attributes: true});");
  }

  private void assertStoryTypeIsLargeAndReadable(WebElement paragraph) {
    double size = Double.parseDouble(paragraph.getCssValue("font-size").replace("px", ""));
    double lineHeight = Double.parseDouble(paragraph.getCssValue("line-height").replace("px", ""));
    assertThat(size).as("story font size in px").isGreaterThanOrEqualTo(20.0);
    assertThat(lineHeight / size).as("story line height").isGreaterThanOrEqualTo(1.6);
  }

  private long horizontalOverflow() {
    return ((Number)
            js("return Math.max(0, document.documentElement.scrollWidth - window.innerWidth);"))
        .longValue();
  }

  private String cursorAnimation() {
    return (String)
        js(
            "const ps = document.querySelectorAll('#story-body p');"
                + "return getComputedStyle(ps[ps.length - 1], '::after').animationName;");
  }

  private String state() {
    return byId("story").getAttribute("data-state");
  }

  private String storyText() {
    return byId("story-body").getText().trim();
  }

  private String noticeText() {
    WebElement notice = byId("notice");
    return notice.isDisplayed() ? "notice: " + notice.getText() : "no notice";
  }

  private void assertNoBrowserErrors() {
    List<String> errors = new ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.WARNING.intValue()) {
        errors.add(entry.getLevel() + " " + entry.getMessage());
      }
    }
    assertThat(errors).as("console errors and content security policy violations").isEmpty();
  }

  private WebElement byId(String id) {
    return driver.findElement(By.id(id));
  }

  private Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  private WebDriverWait wait(Duration timeout, Duration polling) {
    WebDriverWait wait = new WebDriverWait(driver, timeout);
    wait.pollingEvery(polling);
    return wait;
  }

  private Map<String, Object> cdp(String command, Map<String, Object> parameters) {
    return driver.executeCdpCommand(command, parameters);
  }

  /** What the screen shows. */
  private void viewportScreenshot(String name) throws IOException {
    Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
  }

  /** A full-page screenshot, beyond the viewport. */
  private void screenshot(String name) throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> size =
        (Map<String, Object>)
            js(
                "return {width: document.documentElement.scrollWidth,"
                    + " height: document.documentElement.scrollHeight};");
    Map<String, Object> clip =
        Map.of(
            "x", 0, "y", 0, "width", size.get("width"), "height", size.get("height"), "scale", 1);
    Map<String, Object> shot =
        cdp(
            "Page.captureScreenshot",
            Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
    Files.write(
        SCREENSHOTS.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
  }

  private static int httpStatus(StoryMagicServer target, String method, String path)
      throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return client
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /**
   * Types a character no other generation in this run has used, so the story is written (and
   * streamed at the engine's pace) rather than served at once from the cache.
   */
  private String typeFreshCharacter(int n) {
    String name = FRESH_NAMES.get(FRESH.getAndIncrement() % FRESH_NAMES.size());
    typeCharacter(n, name, "a friendly explorer");
    return name;
  }
}
