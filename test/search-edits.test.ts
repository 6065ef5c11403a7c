/**
 * The bounded edit-distance search (src/search/edits.ts) finds exactly what a full scan with the
 * plain dynamic-programming distance finds, whatever its filters skip.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { editDistance } from "../src/search/distance.js";
import { EditSpace } from "../src/search/edits.js";

/** Plain Levenshtein distance, the reference for searches without transpositions. */
function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur.push(
        Math.min(
          (prev[j] ?? 0) + 1,
          (cur[j - 1] ?? 0) + 1,
          (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
        ),
      );
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

type Budget = (n: number) => number;

function found(space: EditSpace, query: string, budget: Budget, transpositions: boolean): string[] {
  const out: string[] = [];
  space.search(query, {
    transpositions,
    budget,
    visit: (id, distance, key) => out.push(`${id}:${key}:${distance}`),
  });
  return out.sort();
}

function scanned(keys: string[], query: string, budget: Budget, transpositions: boolean): string[] {
  const out: string[] = [];
  keys.forEach((key, id) => {
    const distance = transpositions ? editDistance(query, key) : levenshtein(query, key);
    if (distance <= budget(key.length)) out.push(`${id}:${key}:${distance}`);
  });
  return out.sort();
}

// A small alphabet makes near misses, shared bigrams and repeated letters common.
const letter = fc.constantFrom("a", "b", "c", "d", "e", "k", "8", "s", "日", "志");
const word = fc.string({ unit: letter, maxLength: 12 });
const edit = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.nat(), letter);

/** A key with a few edits (substitutions, deletions, insertions, adjacent transpositions). */
function typo(key: string, edits: [kind: number, at: number, c: string][]): string {
  let out = key;
  for (const [kind, at, c] of edits) {
    const i = out.length === 0 ? 0 : at % out.length;
    if (kind === 0) out = out.slice(0, i) + c + out.slice(i + 1);
    else if (kind === 1) out = out.slice(0, i) + out.slice(i + 1);
    else if (kind === 2) out = out.slice(0, i) + c + out.slice(i);
    else if (i + 1 < out.length) out = out.slice(0, i) + out[i + 1] + out[i] + out.slice(i + 2);
  }
  return out;
}

/** Keys and a query that is usually a few edits from one of them. */
const keysAndQuery = fc
  .tuple(
    fc.array(fc.string({ unit: letter, minLength: 1, maxLength: 14 }), { minLength: 1, maxLength: 60 }),
    fc.nat(),
    fc.array(edit, { maxLength: 3 }),
    fc.oneof(word, fc.constant(null)),
  )
  .map(([keys, pick, edits, other]) => ({
    keys,
    query: other ?? typo(keys[pick % keys.length] as string, edits),
  }));

describe("EditSpace.search", () => {
  it("finds exactly the keys a full scan finds, with and without transpositions", () => {
    fc.assert(
      fc.property(
        keysAndQuery,
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        ({ keys, query }, edits, transpositions) => {
          const space = new EditSpace(keys);
          const budget = () => edits;
          expect(found(space, query, budget, transpositions)).toEqual(
            query === "" ? [] : scanned(keys, query, budget, transpositions),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("follows a budget that depends on the key's length", () => {
    fc.assert(
      fc.property(keysAndQuery, ({ keys, query }) => {
        const space = new EditSpace(keys);
        const budget = (n: number) => Math.floor(0.4 * Math.max(query.length, n));
        expect(found(space, query, budget, true)).toEqual(
          query === "" ? [] : scanned(keys, query, budget, true),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it("counts an adjacent transposition as one edit only when asked", () => {
    const space = new EditSpace(["calico", "canal"]);
    expect(found(space, "calcio", () => 1, true)).toEqual(["0:calico:1"]);
    expect(found(space, "calcio", () => 1, false)).toEqual([]);
    expect(found(space, "calcio", () => 2, false)).toEqual(["0:calico:2"]);
  });

  it("handles nothing to search and nothing to find", () => {
    expect(found(new EditSpace([]), "calico", () => 3, true)).toEqual([]);
    expect(found(new EditSpace(["calico"]), "", () => 3, true)).toEqual([]);
    expect(found(new EditSpace(["calico"]), "x".repeat(300), () => 3, true)).toEqual([]);
    expect(found(new EditSpace(["ab"]), "ba", () => 1, true)).toEqual(["0:ab:1"]);
  });
});

describe("EditSpace.containing", () => {
  it("visits every key containing the fragment, shortest first", () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 60 }), word, (keys, fragment) => {
        const space = new EditSpace(keys);
        const seen: string[] = [];
        space.containing(fragment, (id, key) => {
          expect(keys[id]).toBe(key);
          seen.push(key);
          return true;
        });
        const expected = fragment.length < 2 ? [] : keys.filter((k) => k.includes(fragment));
        expect([...seen].sort()).toEqual([...expected].sort());
        expect(seen.map((k) => k.length)).toEqual([...seen.map((k) => k.length)].sort((a, b) => a - b));
      }),
      { numRuns: 300 },
    );
  });

  it("stops when the visitor says so", () => {
    const space = new EditSpace(["dockerui", "docker", "dockerhub", "dockstation"]);
    const seen: string[] = [];
    space.containing("dock", (_, key) => seen.push(key) < 2);
    expect(seen).toEqual(["docker", "dockerui"]);
  });
});
