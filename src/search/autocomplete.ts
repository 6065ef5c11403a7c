/**
 * Suggestions while a member types a tool or area option: exact names first, then names that
 * start with what was typed, then close typos, then names that contain it ("vswitch" for Open
 * vSwitch), then looser typos; at most 25 (Discord's limit), each entry once. Prefix matching is
 * a binary search over the sorted name keys and typos a bounded search (fuzzy.ts), so it stays
 * fast however large the taxonomy grows.
 */
import { displayName, type Entry } from "../taxonomy/model.js";
import { nameKey } from "../text/normalize.js";
import type { FuzzyNames } from "./fuzzy.js";
import type { NameIndex, Namespace } from "./names.js";

export const MAX_SUGGESTIONS = 25;
/** Below four characters a typo match is mostly noise, below three a contained one. */
const MIN_FUZZY_LENGTH = 4;
const MIN_CONTAINED_LENGTH = 3;
/** A typo this close (one edit in four or five characters) comes before names containing the text. */
const CLOSE_SCORE = 0.35;
/** Looser typos come last; past this they are noise ("logs" is two edits from "ovs"). */
const LOOSE_SCORE = 0.4;

export interface Suggestion {
  entry: Entry;
  /** The name that matched, when it is not the entry's own name ("k8s" for Kubernetes). */
  matched?: string;
}

export class Autocomplete {
  private readonly sortedKeys: Record<Namespace, string[]>;
  /** Each entry's own English name, folded, to tell whether a prefix hit came by an alias. */
  private readonly ownKeys = new Map<Entry, string>();

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
    for (const hit of this.names.get(namespace, key)) add(hit.entry, hit.matched);
    for (const prefixKey of this.withPrefix(namespace, key)) {
      if (out.size >= limit) break;
      // Show the alias only when the entry's own name does not start with what was typed.
      for (const hit of this.names.get(namespace, prefixKey)) {
        if (out.size >= limit) break;
        if (!out.has(hit.entry)) add(hit.entry, this.ownKey(hit.entry).startsWith(key) ? "" : hit.matched);
      }
    }
    if (out.size >= limit) return [...out.values()];
    const typos = key.length >= MIN_FUZZY_LENGTH ? this.fuzzy.search(namespace, key, limit) : [];
    for (const hit of typos) if (hit.score <= CLOSE_SCORE) add(hit.entry, hit.matched);
    if (out.size < limit && key.length >= MIN_CONTAINED_LENGTH) {
      for (const hit of this.fuzzy.containing(namespace, key, limit)) add(hit.entry, hit.matched);
    }
    for (const hit of typos) if (hit.score <= LOOSE_SCORE) add(hit.entry, hit.matched);
    return [...out.values()];
  }

  private ownKey(entry: Entry): string {
    let key = this.ownKeys.get(entry);
    if (key === undefined) {
      key = nameKey(displayName(entry, "en"));
      this.ownKeys.set(entry, key);
    }
    return key;
  }

  /**
   * Keys starting with `prefix` (but not the prefix itself), shortest first (a shorter name is
   * the likelier intent), then in code-unit order: the range of the sorted keys that starts with
   * it, found by binary search, ordered by a counting sort on length.
   */
  private withPrefix(namespace: Namespace, prefix: string): string[] {
    const keys = this.sortedKeys[namespace];
    const from = lowerBound(keys, prefix);
    const to = lowerBound(keys, `${prefix}\uffff`, from);
    const byLength: string[][] = [];
    for (let i = from; i < to; i++) {
      const key = keys[i] as string;
      if (key.length === prefix.length || !key.startsWith(prefix)) continue;
      const bucket = byLength[key.length];
      if (bucket) bucket.push(key);
      else byLength[key.length] = [key];
    }
    return byLength.flatMap((bucket) => bucket ?? []);
  }
}

/** The first index from `lo` of the sorted `keys` whose key is not below `value`. */
function lowerBound(keys: readonly string[], value: string, lo = 0): number {
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
