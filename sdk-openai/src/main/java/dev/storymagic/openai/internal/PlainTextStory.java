package dev.storymagic.openai.internal;

import dev.storymagic.spi.ModelStreamListener;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a story written in the templates' plain-text layout: a title on the first line, a blank
 * line, then paragraphs separated by blank lines. Works incrementally: feed it text as it arrives
 * and it passes the title to {@link ModelStreamListener#onTitle(String)} once the first line is
 * complete, and every later piece of body text to {@link ModelStreamListener#onDelta(String)} at
 * once. Not thread-safe; one per response.
 *
 * <p>A first line longer than {@value #MAX_TITLE_CHARS} characters, or a text with no line break at
 * all, is taken as body with no title (the quality check then flags the missing title). Markdown
 * heading marks, a {@code Title:} prefix and surrounding quotes or asterisks are removed from the
 * title.
 */
public final class PlainTextStory {
  static final int MAX_TITLE_CHARS = 160;
  private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\n\\s*\\n");
  private static final Pattern LINE_BREAK = Pattern.compile("\\s*\\n\\s*");
  private static final Pattern TITLE_PREFIX = Pattern.compile("(?i)^(#+\\s*|title\\s*:\\s*)+");

  private final ModelStreamListener listener;
  private final StringBuilder head = new StringBuilder();
  private final StringBuilder body = new StringBuilder();
  private boolean titleDone;
  private String title = "";
  private boolean bodyDelivered;

  public PlainTextStory(ModelStreamListener listener) {
    this.listener = listener;
  }

  /** Parses a complete text. */
  public static PlainTextStory parse(String text) {
    PlainTextStory story = new PlainTextStory(text2 -> {});
    story.accept(text);
    story.finish();
    return story;
  }

  /** Takes the next piece of the model's text. */
  public void accept(String delta) {
    if (delta.isEmpty()) {
      return;
    }
    if (titleDone) {
      deliver(delta);
      return;
    }
    head.append(delta);
    int start = 0;
    while (start < head.length() && Character.isWhitespace(head.charAt(start))) {
      start++;
    }
    int newline = head.indexOf("\n", start);
    if (newline >= 0 && newline - start <= MAX_TITLE_CHARS) {
      titleDone = true;
      title = cleanTitle(head.substring(start, newline));
      if (!title.isEmpty()) {
        listener.onTitle(title);
      }
      deliver(head.substring(newline + 1));
    } else if (head.length() - start > MAX_TITLE_CHARS) {
      titleDone = true;
      deliver(head.substring(start));
    }
  }

  /** Ends the text: a single unfinished line is body, not a title. */
  public void finish() {
    if (!titleDone) {
      titleDone = true;
      deliver(head.toString());
    }
  }

  public String title() {
    return title;
  }

  /**
   * The body's paragraphs: split at blank lines, or at line breaks when the model used single ones.
   */
  public List<String> paragraphs() {
    return paragraphsOf(body.toString());
  }

  /** A body with no title line, split into paragraphs like {@link #paragraphs()}. */
  public static List<String> paragraphsOf(String bodyText) {
    String text = bodyText.strip();
    if (text.isEmpty()) {
      return List.of();
    }
    String[] blocks = PARAGRAPH_BREAK.split(text);
    if (blocks.length == 1) {
      blocks = LINE_BREAK.split(text);
    }
    List<String> paragraphs = new ArrayList<>();
    for (String block : blocks) {
      String p = LINE_BREAK.matcher(block.strip()).replaceAll(" ");
      if (!p.isEmpty()) {
        paragraphs.add(p);
      }
    }
    return paragraphs;
  }

  /** Whether any body text reached the listener. */
  public boolean bodyDelivered() {
    return bodyDelivered;
  }

  private void deliver(String text) {
    String piece = text;
    if (body.length() == 0) {
      piece = piece.stripLeading();
    }
    if (piece.isEmpty()) {
      return;
    }
    body.append(piece);
    bodyDelivered = true;
    listener.onDelta(piece);
  }

  static String cleanTitle(String line) {
    String t = TITLE_PREFIX.matcher(line.strip()).replaceFirst("");
    t = stripSurrounding(t, "**");
    t = stripSurrounding(t, "*");
    t = stripSurrounding(t, "\"");
    t = stripSurrounding(t, "\u201c", "\u201d");
    return t.strip();
  }

  private static String stripSurrounding(String s, String mark) {
    return stripSurrounding(s, mark, mark);
  }

  private static String stripSurrounding(String s, String open, String close) {
    String t = s.strip();
    if (t.length() >= open.length() + close.length() && t.startsWith(open) && t.endsWith(close)) {
      return t.substring(open.length(), t.length() - close.length());
    }
    return t;
  }
}
