/** `/search <words>`: ranked tools, mentions and areas for free text in either language. */
import type { Answer } from "../answer.js";
import { cleanInput } from "../text/normalize.js";
import type { Context } from "./context.js";
import { candidateOf, itemOf, openAction } from "./present.js";

const MAX_RESULTS = 10;

export function searchCommand(ctx: Context, query: string): Answer {
  const { t, locale } = ctx;
  const text = cleanInput(query);
  const hits = ctx.resolver.fullText.search(text, MAX_RESULTS);
  if (hits.length === 0) {
    return {
      kind: "search",
      locale,
      title: t.searchTitle(text),
      blocks: [{ type: "text", text: `${t.searchNone(text)}\n${t.searchNoneHint}` }],
      actions: [],
      candidates: [],
    };
  }
  const entries = hits.map((h) => h.entry);
  return {
    kind: "search",
    locale,
    title: t.searchTitle(text),
    blocks: [
      { type: "list", heading: t.searchCount(entries.length), items: entries.map((e) => itemOf(ctx, e)) },
    ],
    actions: entries.map((e) => openAction(ctx, e)),
    candidates: entries.map((e) => candidateOf(ctx, e)),
  };
}
