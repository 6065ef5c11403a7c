/**
 * How a name the member typed becomes an entry (product.md, "How a query is resolved"):
 * exact names first, then typo-tolerant names, then a choice or suggestions. Never throws.
 */
import type { Entry, Taxonomy } from "../taxonomy/model.js";
import { cleanInput, nameKey } from "../text/normalize.js";
import { Autocomplete } from "./autocomplete.js";
import { FullTextIndex } from "./fulltext.js";
import { FuzzyNames } from "./fuzzy.js";
import { NameIndex, type Namespace } from "./names.js";

export type Resolution =
  | { kind: "exact"; entry: Entry; matched: string }
  | { kind: "fuzzy"; entry: Entry; matched: string }
  | { kind: "ambiguous"; candidates: Entry[] }
  | { kind: "did_you_mean"; candidates: Entry[] }
  | { kind: "none"; candidates: Entry[] };

/** A fuzzy match this close, and this far ahead of the next entry, is answered directly. */
const CLEAR_WINNER_SCORE = 0.35;
const CLEAR_WINNER_GAP = 0.1;
const MAX_SUGGESTIONS = 5;
/**
 * One edit in two characters is a different name ("os" is one edit from "ovs"): such a query is
 * never taken for a typo, only offered the names that contain it.
 */
const MIN_TYPO_LENGTH = 3;

export class Resolver {
  readonly names: NameIndex;
  readonly fuzzy: FuzzyNames;
  readonly fullText: FullTextIndex;
  readonly autocomplete: Autocomplete;

  constructor(readonly taxonomy: Taxonomy) {
    this.names = new NameIndex(taxonomy);
    this.fuzzy = new FuzzyNames(this.names);
    this.fullText = new FullTextIndex(taxonomy);
    this.autocomplete = new Autocomplete(this.names, this.fuzzy, {
      area: [...taxonomy.areas],
      tool: [...taxonomy.tools.values()].sort((a, b) => a.name.localeCompare(b.name)),
    });
  }

  resolve(namespace: Namespace, input: string): Resolution {
    const text = cleanInput(input);
    const key = nameKey(text);
    const exact = this.names.get(namespace, key);
    const [only] = exact;
    if (only && exact.length === 1) return { kind: "exact", entry: only.entry, matched: only.matched };
    if (exact.length > 1) return { kind: "ambiguous", candidates: exact.map((h) => h.entry) };

    const fuzzy = key.length >= MIN_TYPO_LENGTH ? this.fuzzy.search(namespace, key) : [];
    const [best, second] = fuzzy;
    if (
      best &&
      best.score <= CLEAR_WINNER_SCORE &&
      (!second || second.score - best.score >= CLEAR_WINNER_GAP)
    ) {
      return { kind: "fuzzy", entry: best.entry, matched: best.matched };
    }
    if (best && best.score <= CLEAR_WINNER_SCORE) {
      return {
        kind: "did_you_mean",
        candidates: fuzzy
          .filter((h) => h.score <= best.score + 0.15)
          .slice(0, MAX_SUGGESTIONS)
          .map((h) => h.entry),
      };
    }
    return {
      kind: "none",
      candidates: this.suggest(namespace, text, [
        ...fuzzy.map((h) => h.entry),
        ...this.fuzzy.containing(namespace, key, MAX_SUGGESTIONS).map((h) => h.entry),
      ]),
    };
  }

  /** Up to five things worth trying: loose name matches, then full-text hits of the namespace. */
  private suggest(namespace: Namespace, text: string, loose: Entry[]): Entry[] {
    const out = new Set<Entry>();
    for (const entry of loose) if (out.size < MAX_SUGGESTIONS) out.add(entry);
    if (out.size < MAX_SUGGESTIONS && text.length > 0) {
      for (const hit of this.fullText.search(text.slice(0, 200), 20)) {
        if ((hit.entry.type === "area") === (namespace === "area")) out.add(hit.entry);
        if (out.size >= MAX_SUGGESTIONS) break;
      }
    }
    return [...out];
  }
}
