/**
 * Typo-tolerant matching over short fields only (names and aliases): fuse.js is quick and
 * accurate on short strings and slow and poor on long descriptions, so those go to the
 * full-text index instead (see search.ts).
 */
import Fuse from "fuse.js";
import type { Entry } from "../taxonomy/model.js";
import { distanceScore } from "./distance.js";
import type { NameIndex, Namespace } from "./names.js";

interface NameRecord {
  key: string;
  entry: Entry;
  name: string;
}

export interface FuzzyHit {
  entry: Entry;
  matched: string;
  /** 0 is a perfect match, 1 nothing in common: edits per character over the whole name. */
  score: number;
}

export class FuzzyNames {
  private readonly fuses: Record<Namespace, Fuse<NameRecord>>;

  constructor(names: NameIndex) {
    const build = (namespace: Namespace) => {
      const records: NameRecord[] = [];
      for (const [key, hits] of names.keys(namespace)) {
        for (const hit of hits) records.push({ key, entry: hit.entry, name: hit.matched });
      }
      return new Fuse(records, {
        keys: ["key"],
        includeScore: true,
        threshold: 0.4,
        ignoreLocation: true,
        minMatchCharLength: 2,
      });
    };
    this.fuses = { area: build("area"), tool: build("tool") };
  }

  /** Best match per entry, best first. `key` is already folded with nameKey. */
  search(namespace: Namespace, key: string, limit = 10): FuzzyHit[] {
    if (key.length < 2) return [];
    const best = new Map<Entry, FuzzyHit>();
    for (const result of this.fuses[namespace].search(key.slice(0, 64), { limit: limit * 5 })) {
      const { entry, name, key: candidate } = result.item;
      const score = distanceScore(key, candidate);
      const seen = best.get(entry);
      if (!seen || score < seen.score) best.set(entry, { entry, matched: name, score });
    }
    return [...best.values()].sort((a, b) => a.score - b.score).slice(0, limit);
  }
}
