/**
 * Typo matching over names (src/search/fuzzy.ts) and the autocomplete built on it: the hits are
 * exactly those that scoring every name key with the reference distance gives (distance.ts),
 * and what a member sees while typing keeps its order: exact, prefix, close typo, contained.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { distanceScore, editDistance } from "../src/search/distance.js";
import { type FuzzyHit, LOOSE_SCORE, MARGIN, MAX_EDITS } from "../src/search/fuzzy.js";
import type { Namespace } from "../src/search/names.js";
import { namesOf } from "../src/taxonomy/model.js";
import { nameKey } from "../src/text/normalize.js";
import { core } from "./helpers/core.js";

const resolver = () => core().resolver;

/** The definition: every key scored, best per entry, within LOOSE_SCORE and best + MARGIN. */
function reference(namespace: Namespace, query: string): string[] {
  const best = new Map<string, number>();
  for (const [key, hits] of resolver().names.keys(namespace)) {
    if (editDistance(query, key) > MAX_EDITS) continue;
    const score = distanceScore(query, key);
    for (const hit of hits) best.set(hit.entry.id, Math.min(score, best.get(hit.entry.id) ?? 1));
  }
  const top = Math.min(...best.values());
  const cutoff = Math.min(LOOSE_SCORE, top + MARGIN) + 1e-9;
  return [...best]
    .filter(([, score]) => score <= cutoff)
    .map(([id, score]) => `${score.toFixed(6)} ${id}`)
    .sort();
}

const shown = (hits: FuzzyHit[]) => hits.map((h) => `${h.score.toFixed(6)} ${h.entry.id}`).sort();

describe("FuzzyNames.search", () => {
  const keys = () =>
    core()
      .taxonomy.entries()
      .flatMap((e) => namesOf(e).map(nameKey))
      .filter((k) => k.length >= 2);

  it("finds exactly what scoring every name would, for typos of real names", () => {
    const all = keys();
    fc.assert(
      fc.property(
        fc.nat(),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.nat(), fc.constantFrom(..."aeiourstlnk0")), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.constantFrom<Namespace>("tool", "area"),
        (pick, edits, namespace) => {
          let query = all[pick % all.length] as string;
          for (const [kind, at, c] of edits) {
            const i = at % query.length;
            if (kind === 0) query = query.slice(0, i) + c + query.slice(i + 1);
            else if (kind === 1 && query.length > 2) query = query.slice(0, i) + query.slice(i + 1);
            else if (kind === 2) query = query.slice(0, i) + c + query.slice(i);
            else if (i + 1 < query.length)
              query = query.slice(0, i) + query[i + 1] + query[i] + query.slice(i + 2);
          }
          expect(shown(resolver().fuzzy.search(namespace, query, 1000))).toEqual(reference(namespace, query));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("ranks best first and keeps to the limit", () => {
    const hits = resolver().fuzzy.search("tool", "docke", 3);
    expect(hits.length).toBeLessThanOrEqual(3);
    expect(hits[0]?.entry.id).toBe("docker");
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => a - b));
  });

  it("finds nothing for one character, and nothing far", () => {
    expect(resolver().fuzzy.search("tool", "k")).toEqual([]);
    expect(resolver().fuzzy.search("tool", "qqqqqqqqqqqq")).toEqual([]);
  });

  it("lists the entries whose names contain a fragment, shortest names first", () => {
    const ids = resolver()
      .fuzzy.containing("tool", "dashboard", 10)
      .map((h) => h.entry.id);
    expect(ids).toEqual(expect.arrayContaining(["rapid-dashboard", "kubernetes-dashboard"]));
    expect(resolver().fuzzy.containing("tool", "vswitch", 10)[0]?.entry.id).toBe("open-vswitch");
    expect(resolver().fuzzy.containing("tool", "zzzz", 10)).toEqual([]);
  });
});

describe("resolving typos", () => {
  it("answers a clear typo, even a transposition in four letters", () => {
    expect(resolver().resolve("tool", "ectd")).toMatchObject({ kind: "fuzzy", entry: { id: "etcd" } });
    expect(resolver().resolve("tool", "twsitlock")).toMatchObject({
      kind: "fuzzy",
      entry: { id: "twistlock" },
    });
  });

  it("never takes two letters for a typo, but offers the names that contain them", () => {
    const resolution = resolver().resolve("tool", "os");
    expect(resolution.kind).toBe("none");
    const rk = resolver().resolve("tool", "rk");
    expect(rk.kind === "none" && rk.candidates[0]?.id).toBe("rkt");
  });

  it("gives a choice when two names are about as close", () => {
    const resolution = resolver().resolve("tool", "xrmana");
    expect(resolution.kind).toBe("did_you_mean");
    expect(resolution.kind === "did_you_mean" && resolution.candidates.map((e) => e.id)).toEqual(
      expect.arrayContaining(["romana", "grafana"]),
    );
  });
});

describe("Autocomplete.suggest", () => {
  const ids = (text: string, namespace: Namespace = "tool") =>
    resolver()
      .autocomplete.suggest(namespace, text)
      .map((s) => s.entry.id);

  it("puts the exact name first, then names starting with the text, shortest first", () => {
    expect(ids("cal")[0]).toBe("calico");
    expect(ids("kube").slice(0, 2)).toEqual(["kubernetes", "kubernetes-dashboard"]);
    expect(ids("docker")[0]).toBe("docker");
  });

  it("says which alias matched when the name itself does not start with the text", () => {
    const k8s = resolver().autocomplete.suggest("tool", "k8")[0];
    expect(k8s).toMatchObject({ entry: { id: "kubernetes" }, matched: "k8s" });
    expect(resolver().autocomplete.suggest("tool", "calic")[0]?.matched).toBeUndefined();
  });

  it("corrects typos and finds names from their middle", () => {
    expect(ids("promethus")[0]).toBe("prometheus");
    expect(ids("vswitch")[0]).toBe("open-vswitch");
    expect(ids("dashboard")).toEqual(expect.arrayContaining(["kubernetes-dashboard", "rapid-dashboard"]));
  });

  it("lists each entry once, at most 25, and the defaults for nothing typed", () => {
    for (const text of ["", "d", "do", "doc", "o", "e"]) {
      const list = ids(text);
      expect(list.length).toBeLessThanOrEqual(25);
      expect(new Set(list).size).toBe(list.length);
    }
    expect(ids("")).toHaveLength(25);
    expect(ids("", "area")).toHaveLength(14);
  });
});
