/** What every command handler gets: the data, the resolver, the answer's language, and who asks where. */
import type { Locale } from "../answer.js";
import { type Messages, messages } from "../i18n/messages.js";
import type { CommandSyntax, Member, Place } from "../query.js";
import type { Recommendations } from "../recommendations.js";
import type { Resolver } from "../search/resolve.js";
import type { Taxonomy } from "../taxonomy/model.js";

export interface Context {
  taxonomy: Taxonomy;
  resolver: Resolver;
  locale: Locale;
  t: Messages;
  /** Absent when no store is configured: recommendation commands say so. */
  recs?: Recommendations;
  member?: Member;
  place?: Place;
  /** Where unexpected store errors are reported (the member sees "unavailable"). */
  onStoreError?: (error: unknown) => void;
  /** How commands are typed where the member is (Slack renames some); absent: as declared. */
  syntax?: CommandSyntax;
}

export function makeContext(
  taxonomy: Taxonomy,
  resolver: Resolver,
  locale: Locale,
  extra: Pick<Context, "recs" | "member" | "place" | "onStoreError" | "syntax"> = {},
): Context {
  // The messages name commands as the member types them on this platform.
  return { taxonomy, resolver, locale, t: messages(locale, extra.syntax?.commandName), ...extra };
}

/** A command as the member types it here: "/tool", "/skilltree-search" on Slack, "/st-top" with a prefix. */
export function slash(ctx: Pick<Context, "syntax">, name: string): string {
  return `/${ctx.syntax?.commandName(name) ?? name}`;
}
