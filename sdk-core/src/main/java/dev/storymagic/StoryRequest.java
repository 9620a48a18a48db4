package dev.storymagic;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a caller asks for. Immutable; build one with {@link #builder()}.
 *
 * <p>Building never rejects content: {@link StoryMagic#generate} validates the whole request
 * against its theme catalog and reports every bad field at once in an {@link
 * StoryMagicException.InvalidRequest}. {@link #owner()}, {@link #idempotencyKey()} and {@link
 * #fresh()} steer delivery and storage; they never change the story's content or its cache key.
 *
 * @param theme a theme id from the {@link ThemeCatalog}
 * @param ageGroup the audience
 * @param characters zero to {@value #MAX_CHARACTERS} characters
 * @param setting where the story happens, if the caller chose
 * @param moral the lesson the story should carry, if any
 * @param idea a free-text idea from the child, if any
 * @param length how long the story should be
 * @param language a BCP 47 language tag, default {@code "en"}
 * @param fresh when true the cache is not read (the new story is still cached)
 * @param owner whose story this is, for storage and rate limiting
 * @param idempotencyKey the caller's retry key: the same owner and key always yield the same story
 */
public record StoryRequest(
    String theme,
    AgeGroup ageGroup,
    List<StoryCharacter> characters,
    Optional<String> setting,
    Optional<String> moral,
    Optional<String> idea,
    StoryLength length,
    String language,
    boolean fresh,
    Optional<String> owner,
    Optional<String> idempotencyKey) {

  public static final int MAX_CHARACTERS = 4;
  public static final int MAX_SETTING_LENGTH = 200;
  public static final int MAX_MORAL_LENGTH = 120;
  public static final int MAX_IDEA_LENGTH = 500;

  public StoryRequest {
    requireNonNull(theme, "theme");
    requireNonNull(ageGroup, "ageGroup");
    characters = List.copyOf(requireNonNull(characters, "characters"));
    requireNonNull(setting, "setting");
    requireNonNull(moral, "moral");
    requireNonNull(idea, "idea");
    requireNonNull(length, "length");
    requireNonNull(language, "language");
    requireNonNull(owner, "owner");
    requireNonNull(idempotencyKey, "idempotencyKey");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this request's values, to make a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.theme = theme;
    b.ageGroup = ageGroup;
    b.characters.addAll(characters);
    b.setting = setting.orElse(null);
    b.moral = moral.orElse(null);
    b.idea = idea.orElse(null);
    b.length = length;
    b.language = language;
    b.fresh = fresh;
    b.owner = owner.orElse(null);
    b.idempotencyKey = idempotencyKey.orElse(null);
    return b;
  }

  /** A copy of this request on behalf of {@code owner}. */
  public StoryRequest withOwner(String owner) {
    return toBuilder().owner(owner).build();
  }

  /**
   * Every piece of text the user wrote, in a stable order: names, descriptions, setting, moral,
   * idea.
   */
  public List<String> userTexts() {
    List<String> texts = new ArrayList<>();
    for (StoryCharacter c : characters) {
      texts.add(c.name());
      if (!c.description().isEmpty()) {
        texts.add(c.description());
      }
    }
    setting.ifPresent(texts::add);
    moral.ifPresent(texts::add);
    idea.ifPresent(texts::add);
    return texts;
  }

  /** Builds {@link StoryRequest}s. Defaults: ages 6–8, {@link StoryLength#SHORT}, English. */
  public static final class Builder {
    private String theme;
    private AgeGroup ageGroup = AgeGroup.AGES_6_8;
    private final List<StoryCharacter> characters = new ArrayList<>();
    private String setting;
    private String moral;
    private String idea;
    private StoryLength length = StoryLength.SHORT;
    private String language = "en";
    private boolean fresh;
    private String owner;
    private String idempotencyKey;

    private Builder() {}

    public Builder theme(String theme) {
      this.theme = requireNonNull(theme, "theme");
      return this;
    }

    public Builder ageGroup(AgeGroup ageGroup) {
      this.ageGroup = requireNonNull(ageGroup, "ageGroup");
      return this;
    }

    public Builder character(String name, String description) {
      characters.add(new StoryCharacter(name, description));
      return this;
    }

    public Builder character(StoryCharacter character) {
      characters.add(requireNonNull(character, "character"));
      return this;
    }

    /** Replaces all characters. */
    public Builder characters(List<StoryCharacter> characters) {
      this.characters.clear();
      characters.forEach(this::character);
      return this;
    }

    public Builder setting(String setting) {
      this.setting = setting;
      return this;
    }

    public Builder moral(String moral) {
      this.moral = moral;
      return this;
    }

    public Builder idea(String idea) {
      this.idea = idea;
      return this;
    }

    public Builder length(StoryLength length) {
      this.length = requireNonNull(length, "length");
      return this;
    }

    public Builder language(String language) {
      this.language = requireNonNull(language, "language");
      return this;
    }

    public Builder fresh(boolean fresh) {
      this.fresh = fresh;
      return this;
    }

    public Builder owner(String owner) {
      this.owner = owner;
      return this;
    }

    public Builder idempotencyKey(String idempotencyKey) {
      this.idempotencyKey = idempotencyKey;
      return this;
    }

    /**
     * Builds the request.
     *
     * @throws NullPointerException if no theme was set
     */
    public StoryRequest build() {
      requireNonNull(theme, "theme is required");
      return new StoryRequest(
          theme,
          ageGroup,
          characters,
          blankToEmpty(setting),
          blankToEmpty(moral),
          blankToEmpty(idea),
          length,
          language,
          fresh,
          blankToEmpty(owner),
          blankToEmpty(idempotencyKey));
    }

    private static Optional<String> blankToEmpty(String value) {
      return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
  }
}
