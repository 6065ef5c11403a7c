/** What every command handler gets: the data, the resolver, the answer's language, and who asks where. */
import type { Locale } from "../answer.js";
import { type Messages, messages } from "../i18n/messages.js";
import type { Member, Place } from "../query.js";
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
}

export function makeContext(
  taxonomy: Taxonomy,
  resolver: Resolver,
  locale: Locale,
  extra: Pick<Context, "recs" | "member" | "place" | "onStoreError"> = {},
): Context {
  return { taxonomy, resolver, locale, t: messages(locale), ...extra };
}
