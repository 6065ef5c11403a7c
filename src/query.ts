/** A Query: what an adapter hands the core after parsing and verifying a platform event. */
import type { Locale } from "./answer.js";

/** Who asked. Adapters fill it from the verified platform event, never from message text. */
export interface Member {
  id: string;
  /** A display name for "who recommended it"; shown as plain text. */
  name?: string;
  /** The platform says this member may moderate (Discord: Manage Messages; Slack: admin or owner). */
  isModerator?: boolean;
}

/** Where it was asked: recommendations are kept per channel and summed per workspace. */
export interface Place {
  /** "discord", "slack", "console". */
  platform: string;
  /** Discord guild id, Slack team id, "local" on the console. */
  workspace: string;
  channel: string;
}

/**
 * How members type commands on a platform, for /help, footers and hints. Without it, the
 * declared names ("/search") with every option as declared (Discord, the console).
 */
export interface CommandSyntax {
  /** The name typed for a declared command, without the slash: "search" -> "skilltree-search" on Slack. */
  commandName(name: string): string;
  /**
   * Options are typed as one line of text (Slack), so an option given with a picker elsewhere
   * (a member) is typed as a word: the one after "remove".
   */
  oneLine?: boolean;
}

export interface Query {
  /** Command name without the slash ("tool"). */
  command: string;
  /** Option values by option name, as the member gave them (the core cleans and checks them). */
  args: Readonly<Record<string, string | undefined>>;
  /** The caller's locale when the platform knows it (Discord sends one); else it is inferred. */
  locale?: Locale;
  member?: Member;
  place?: Place;
  /** The platform's command names and syntax, when they differ from the declarations. */
  syntax?: CommandSyntax;
}
