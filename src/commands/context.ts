/** What every command handler gets: the data, the resolver, and the answer's language. */
import type { Locale } from "../answer.js";
import { type Messages, messages } from "../i18n/messages.js";
import type { Resolver } from "../search/resolve.js";
import type { Taxonomy } from "../taxonomy/model.js";

export interface Context {
  taxonomy: Taxonomy;
  resolver: Resolver;
  locale: Locale;
  t: Messages;
}

export function makeContext(taxonomy: Taxonomy, resolver: Resolver, locale: Locale): Context {
  return { taxonomy, resolver, locale, t: messages(locale) };
}
