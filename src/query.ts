/** A Query: what an adapter hands the core after parsing and verifying a platform event. */
import type { Locale } from "./answer.js";

export interface Query {
  /** Command name without the slash ("tool"). */
  command: string;
  /** Option values by option name, as the member gave them (the core cleans and checks them). */
  args: Readonly<Record<string, string | undefined>>;
  /** The caller's locale when the platform knows it (Discord sends one); else it is inferred. */
  locale?: Locale;
}
