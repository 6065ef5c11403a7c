/**
 * Suggestions while a member types a tool or area option: exact names first, then names that
 * start with what was typed, then typo-tolerant matches; at most 25 (Discord's limit), each
 * entry once. Prefix matching is a binary search over the sorted name keys, so it stays fast
 * however large the taxonomy grows.
 */
import { displayName, type Entry } from "../taxonomy/model.js";
import { nameKey } from "../text/normalize.js";
import type { FuzzyNames } from "./fuzzy.js";
import type { NameIndex, Namespace } from "./names.js";

export const MAX_SUGGESTIONS = 25;
const MIN_FUZZY_LENGTH = 4;

export interface Suggestion {
  entry: Entry;
  /** The name that matched, when it is not the entry's own name ("k8s" for Kubernetes). */
  matched?: string;
}

export class Autocomplete {
  private readonly sortedKeys: Record<Namespace, string[]>;

  constructor(
    private readonly names: NameIndex,
    private readonly fuzzy: FuzzyNames,
    private readonly defaults: Record<Namespace, Entry[]>,
  ) {
    this.sortedKeys = {
      area: [...names.keys("area")].map(([key]) => key).sort(),
      tool: [...names.keys("tool")].map(([key]) => key).sort(),
    };
  }

  suggest(namespace: Namespace, text: string, limit = MAX_SUGGESTIONS): Suggestion[] {
    const key = nameKey(text.slice(0, 200));
    if (key === "") return this.defaults[namespace].slice(0, limit).map((entry) => ({ entry }));
    const out = new Map<Entry, Suggestion>();
    const add = (entry: Entry, matched: string) => {
      if (out.size < limit && !out.has(entry)) out.set(entry, { entry, ...(matched ? { matched } : {}) });
    };
    for (const hit of this.names.lookup(namespace, key)) add(hit.entry, hit.matched);
    for (const prefixKey of this.withPrefix(namespace, key)) {
      if (out.size >= limit) break;
      // Show the alias only when the entry's own name does not start with what was typed.
      for (const hit of this.names.lookup(namespace, prefixKey)) {
        add(hit.entry, nameKey(displayName(hit.entry, "en")).startsWith(key) ? "" : hit.matched);
      }
    }
    // Below four characters a typo match is mostly noise.
    if (out.size < limit && key.length >= MIN_FUZZY_LENGTH) {
      for (const hit of this.fuzzy.search(namespace, key, limit)) add(hit.entry, hit.matched);
    }
    return [...out.values()];
  }

  /** Keys starting with `prefix`, shortest first (a shorter name is the likelier intent). */
  private withPrefix(namespace: Namespace, prefix: string): string[] {
    const keys = this.sortedKeys[namespace];
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((keys[mid] ?? "") < prefix) lo = mid + 1;
      else hi = mid;
    }
    const found: string[] = [];
    for (let i = lo; i < keys.length && found.length < 200; i++) {
      const key = keys[i] ?? "";
      if (!key.startsWith(prefix)) break;
      if (key !== prefix) found.push(key);
    }
    return found.sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  }
}
