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

export interface Query {
  /** Command name without the slash ("tool"). */
  command: string;
  /** Option values by option name, as the member gave them (the core cleans and checks them). */
  args: Readonly<Record<string, string | undefined>>;
  /** The caller's locale when the platform knows it (Discord sends one); else it is inferred. */
  locale?: Locale;
  member?: Member;
  place?: Place;
}
