package dev.storymagic.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storymagic.AgeGroup;
import dev.storymagic.SafetyCategory;
import dev.storymagic.SafetyPolicy;
import dev.storymagic.SafetyVerdict;
import dev.storymagic.spi.LocalSafetyClassifier;
import dev.storymagic.spi.SafetyAssessment;
import dev.storymagic.spi.SafetyStage;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One nested class per defect class of the lexicon found on public data: each holds instances named
 * when the class was found and others of the same kind, harmful and harmless, so the fix covers the
 * class and not the instance.
 */
class LexiconDefectClassesTest {
  private static final LocalSafetyClassifier classifier = LocalSafetyClassifier.create();

  private static SafetyVerdict verdict(String text, SafetyStage stage, AgeGroup age) {
    return classifier.assess(text, stage).verdict(age, SafetyPolicy.defaults());
  }

  private static Set<SafetyCategory> blockedForEveryAge(String text, SafetyStage stage) {
    SafetyAssessment a = classifier.assess(text, stage);
    Set<SafetyCategory> types =
        a.verdict(AgeGroup.AGES_9_12, SafetyPolicy.defaults()).violationTypes();
    assertThat(a.verdict(AgeGroup.AGES_3_5, SafetyPolicy.defaults()).violationTypes())
        .as(text)
        .containsAll(types);
    return types;
  }

  private static void allowedForEveryAge(String text, SafetyStage stage) {
    for (AgeGroup age : AgeGroup.values()) {
      assertThat(verdict(text, stage, age).violations()).as("%s at %s", text, age).isEmpty();
    }
  }

  @Nested
  class CapitalisedWordsAreNamesOnlyWhenWrittenAsNames {
    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "I HATE ALL CHINKS|HATE",
          "NIGGER|HATE",
          "Those Kikes are everywhere.|HATE",
          "Gooks go home.|HATE",
          "Spics out!|HATE",
          "YOU DICK|PROFANITY",
          "Shit, said the man.|PROFANITY",
          "Bitch, please.|PROFANITY"
        })
    void slursAndSwearWordsAreFoundWhateverTheirCase(String text, SafetyCategory category) {
      assertThat(blockedForEveryAge(text, SafetyStage.INPUT)).contains(category);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "My horse is called Dick.",
          "Dick Whittington walked to London with his cat.",
          "Mr Coon taught us maths.",
          "Moby Dick swam away."
        })
    void aWordThatIsAlsoANameIsNotFoundWhenWrittenAsOne(String text) {
      allowedForEveryAge(text, SafetyStage.INPUT);
    }
  }

  @Nested
  class QuantifiersAndNegationTurnAnInsultIntoKindness {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "nobody loves you",
          "no one cares about you",
          "everyone hates you",
          "everybody laughs at you",
          "you are stupid",
          "you're so ugly",
          "I hate you"
        })
    void insultsAreHarassment(String text) {
      assertThat(blockedForEveryAge(text, SafetyStage.INPUT)).contains(SafetyCategory.HARASSMENT);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "everyone loves you",
          "everybody likes you",
          "everyone wants you to win",
          "nobody hates you",
          "Nobody thinks you are stupid.",
          "I never said you're ugly.",
          "No, I don't think you are dumb at all.",
          "Nobody said I hate you."
        })
    void theirKindOppositesAreNot(String text) {
      allowedForEveryAge(text, SafetyStage.INPUT);
    }
  }

  @Nested
  class OlderAndLiteralSensesAreNotHarm {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "He gathered a bundle of faggots for the fire.",
          "She carried faggots of firewood home.",
          "The miller loaded the sacks on his ass.",
          "An ass and an ox stood in the stable.",
          "The cat was named Pussy.",
          "Pussy the cat slept by the fire.",
          "He gave away all that he possessed.",
          "She possessed a golden key.",
          "Light came through the chinks in the wall.",
          "The kitchen was spick and span.",
          "He groped for the candle in the dark.",
          "To her horror, the cake had fallen.",
          "The coon hound sniffed the trail.",
          "Little Dick was all night in the streets.",
          "There he stood like an idiot."
        })
    void literalSensesAreAllowedForEveryAge(String text) {
      allowedForEveryAge(text, SafetyStage.OUTPUT);
    }

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "Kiss my ass|HARASSMENT",
          "get your ass over here|PROFANITY",
          "you faggot|HATE",
          "The girl was possessed by a demon.|FRIGHTENING",
          "what a dumb ass|PROFANITY"
        })
    void theHarmfulSensesStillBlock(String text, SafetyCategory category) {
      assertThat(blockedForEveryAge(text, SafetyStage.INPUT)).contains(category);
    }
  }

  @Nested
  class IdiomsAreNotThreats {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "You will die of laughter at this joke!",
          "She was scared to death of the dark.",
          "You are killing it, kiddo!",
          "My feet are killing me.",
          "This cake is to die for.",
          "I could kill for a cup of cocoa.",
          "Over my dead body, laughed Grandpa.",
          "You'll knock them dead at the show.",
          "That puppy will be the death of me.",
          "Shoot for the stars, said Mum.",
          "She shot him a smile."
        })
    void idiomsAreAllowedForEveryAge(String text) {
      allowedForEveryAge(text, SafetyStage.INPUT);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"you will die", "I will kill you", "you're dead meat", "I'll make you bleed"})
    void threatsStillAre(String text) {
      assertThat(blockedForEveryAge(text, SafetyStage.INPUT))
          .contains(SafetyCategory.HARASSMENT_THREATENING);
    }
  }

  @Nested
  class PronounAndVerbRulesNeedTheVerbToActOnAPerson {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "She was shooting her hose at the flowers.",
          "He kicked her ball over the fence.",
          "Poison made them sick, said the fox, so never eat strange berries.",
          "The shot made them all jump, but it was only a firework.",
          "The attack of giggles left her breathless.",
          "A kick helped him over the wall."
        })
    void ordinaryActionsAreAllowedForEveryAge(String text) {
      allowedForEveryAge(text, SafetyStage.OUTPUT);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "He shot her dead.",
          "She stabbed him in the chest.",
          "He poisoned them all.",
          "They kicked her again and again."
        })
    void harmToAPersonIsFound(String text) {
      assertThat(verdict(text, SafetyStage.OUTPUT, AgeGroup.AGES_3_5).violationTypes())
          .as(text)
          .contains(SafetyCategory.VIOLENCE);
    }
  }

  @Nested
  class OrdinaryStoryWordsAreEvidenceNotVerdicts {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "The scary shadow was only a coat.",
          "The knights had a fight and then shared lunch.",
          "Lily screamed when the balloon popped.",
          "The puppy chased the ducks around the pond.",
          "The old tree was dead, so the owls found a new home.",
          "The bear growled, then yawned.",
          "The kitten was trapped in the shed until Dad opened the door.",
          "A friendly ghost lived in the attic.",
          "The king died, and the princess became queen."
        })
    void oneStoryWordDoesNotBlockTheYoungestReaders(String text) {
      allowedForEveryAge(text, SafetyStage.OUTPUT);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "Blood gushed everywhere and his guts spilled out.",
          "The soldiers tortured the prisoners for days.",
          "He stabbed the man to death.",
          "The dragon killed all the villagers and their children."
        })
    void graphicAndMassViolenceBlocksEveryAge(String text) {
      assertThat(blockedForEveryAge(text, SafetyStage.OUTPUT)).contains(SafetyCategory.VIOLENCE);
    }
  }
}
