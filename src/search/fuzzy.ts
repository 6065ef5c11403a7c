/**
 * Typo-tolerant matching over short fields only (names and aliases, folded by nameKey). What
 * decides a typo is the whole-string distance (optimal string alignment, distance.ts), so this
 * is a bounded edit-distance search over the name keys (edits.ts) rather than fuse.js, which
 * scans every key and scores a substring hit ("calcio" in "brooklyncentral/clocker") as well
 * as a whole-name hit.
 *
 * The budget starts at LOOSE_SCORE and shrinks to the best score found plus MARGIN, which is all
 * any caller uses (resolve.ts compares the best with the runner-up; autocomplete lists what is
 * close), so the hits are exactly those that scoring every key would give. A first pass looks
 * for the usual one-edit typo only, which is cheap and shrinks the budget of the full pass.
 *
 * Long descriptions go to the full-text index instead (fulltext.ts).
 */
import type { Entry } from "../taxonomy/model.js";
import { EditSpace } from "./edits.js";
import type { NameHit, NameIndex, Namespace } from "./names.js";

export interface FuzzyHit {
  entry: Entry;
  matched: string;
  /** 0 is a perfect match, 1 nothing in common: edits per character over the whole name. */
  score: number;
}

/** Nothing scoring worse than this is a typo of the name (half its characters wrong). */
export const LOOSE_SCORE = 0.5;
/** Hits are kept up to the best score plus this (resolve.ts needs runners-up within 0.15). */
export const MARGIN = 0.15;
/** No typo of a name is this many edits away, however long the name. */
export const MAX_EDITS = 6;
/** Queries are cut here: nobody types a 64-character name. */
const MAX_QUERY = 64;

interface Names {
  space: EditSpace;
  hits: NameHit[][];
}

export class FuzzyNames {
  private readonly names: Record<Namespace, Names>;

  constructor(index: NameIndex) {
    const build = (namespace: Namespace): Names => {
      const keys: string[] = [];
      const hits: NameHit[][] = [];
      for (const [key, keyHits] of index.keys(namespace)) {
        keys.push(key);
        hits.push(keyHits);
      }
      return { space: new EditSpace(keys), hits };
    };
    this.names = { area: build("area"), tool: build("tool") };
  }

  /**
   * Entries whose names are within typo distance of `key` (already folded with nameKey), best
   * per entry, best first, up to `limit`: every hit scores at most LOOSE_SCORE and at most the
   * best hit's score plus MARGIN, and is at most MAX_EDITS edits away. Ties: shorter name first.
   */
  search(namespace: Namespace, key: string, limit = 10): FuzzyHit[] {
    const query = key.slice(0, MAX_QUERY);
    const length = query.length;
    if (length < 2 || limit <= 0) return [];
    const { space, hits } = this.names[namespace];
    let best = LOOSE_SCORE;
    const found = new Map<Entry, FuzzyHit>();
    const pass = (cap: number) =>
      space.search(query, {
        transpositions: true,
        budget: (n) =>
          Math.min(cap, Math.floor(Math.min(LOOSE_SCORE, best + MARGIN) * Math.max(length, n) + 1e-9)),
        visit: (id, distance, candidate) => {
          const score = distance / Math.max(length, candidate.length);
          if (score < best) best = score;
          for (const hit of hits[id] as NameHit[]) {
            const seen = found.get(hit.entry);
            if (!seen || score < seen.score)
              found.set(hit.entry, { entry: hit.entry, matched: hit.matched, score });
          }
        },
      });
    // The usual typo is one edit away: finding it first is cheap and shrinks the full pass.
    if (length >= 3) pass(1);
    pass(MAX_EDITS);
    const cutoff = Math.min(LOOSE_SCORE, best + MARGIN) + 1e-9;
    return [...found.values()]
      .filter((h) => h.score <= cutoff)
      .sort((a, b) => a.score - b.score || a.matched.length - b.matched.length)
      .slice(0, limit);
  }

  /** Entries with a name containing `fragment` (folded, two characters or more), shortest first. */
  containing(namespace: Namespace, fragment: string, limit: number): { entry: Entry; matched: string }[] {
    const out: { entry: Entry; matched: string }[] = [];
    if (limit <= 0) return out;
    const { space, hits } = this.names[namespace];
    const seen = new Set<Entry>();
    space.containing(fragment, (id) => {
      for (const hit of hits[id] as NameHit[]) {
        if (!seen.has(hit.entry) && out.length < limit) {
          seen.add(hit.entry);
          out.push({ entry: hit.entry, matched: hit.matched });
        }
      }
      return out.length < limit;
    });
    return out;
  }
}
