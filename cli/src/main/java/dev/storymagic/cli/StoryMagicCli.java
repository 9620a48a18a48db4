package dev.storymagic.cli;

import dev.storymagic.cli.internal.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code storymagic} command: {@code generate}, {@code themes}, {@code check} and {@code
 * serve}. Reads the same environment variables as the reference server ({@code OPENAI_API_KEY},
 * {@code OPENAI_BASE_URL}, {@code OPENAI_MODEL}, {@code OPENAI_MODERATION}, {@code
 * MODEL_TIMEOUT_SECONDS}, and for {@code serve} all of them).
 */
@Command(
    name = "storymagic",
    mixinStandardHelpOptions = true,
    versionProvider = StoryMagicCli.Version.class,
    header = "Safe, age-appropriate children's stories from the command line.",
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "",
      "Stories are written by the offline story engine unless OPENAI_API_KEY is set; then by the "
          + "OpenAI-compatible provider at OPENAI_BASE_URL (model OPENAI_MODEL), with OpenAI moderation "
          + "after the local safety classifier unless OPENAI_MODERATION=false. "
          + "`storymagic COMMAND --help` describes each command.",
      ""
    },
    subcommands = {
      GenerateCommand.class,
      ThemesCommand.class,
      CheckCommand.class,
      ServeCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0   success (for check: the text is allowed)",
      "  1   unexpected internal error",
      "  2   invalid command line: unknown option, bad value",
      "  3   invalid story request (every bad field is listed)",
      "  4   unsafe text: the request was rejected, or check found blocking findings",
      "  5   no safe story could be generated",
      "  6   rate limited",
      "  7   the model did not answer in time",
      "  8   the model is unavailable (try again later)",
      "  9   the model refused the call (credentials, bad request)",
      "  10  storage failure",
      "  78  invalid configuration in the environment",
      "  130 cancelled",
      "",
      "Examples:",
      "  storymagic generate --theme space --age 6-8 \\",
      "      --character \"Mia:a curious girl\" --length short",
      "  storymagic generate --theme ocean --age 3-5 --stream",
      "  storymagic check \"The dragon roared\" --age 3-5",
      "  PORT=8080 storymagic serve"
    })
public final class StoryMagicCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private StoryMagicCli() {}

  public static void main(String[] args) {
    configureLogging(args);
    System.exit(run(args));
  }

  /**
   * Every command but {@code serve} logs warnings only, to standard error, so standard output is
   * the result alone; {@code serve} keeps the server's JSON logging. Chosen before any logger
   * exists.
   */
  private static void configureLogging(String[] args) {
    boolean serve = args.length > 0 && args[0].equals("serve");
    if (!serve && System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "storymagic-cli-logback.xml");
    }
  }

  /** Runs the command line and returns its exit code; never exits the JVM itself. */
  public static int run(String... args) {
    return newCommandLine().execute(args);
  }

  static CommandLine newCommandLine() {
    CommandLine cli = new CommandLine(new StoryMagicCli());
    cli.setExitCodeExceptionMapper(ExitCodes::of);
    cli.setExecutionExceptionHandler(ExitCodes::report);
    cli.setUsageHelpAutoWidth(true);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing command: generate, themes, check or serve");
  }

  /** The version of the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = StoryMagicCli.class.getPackage().getImplementationVersion();
      return new String[] {
        "storymagic " + (v == null ? "development build" : v),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")"
      };
    }
  }
}
