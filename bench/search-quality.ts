/**
 * /search quality (issue 7, part 3): top-3 accuracy on a labelled set of free-text queries in
 * English and Chinese over the real taxonomy (bench/queries/search.json), written as members
 * would type them. A query is answered correctly when one of its acceptable ids is among the
 * first three results of FullTextIndex.search, as /search shows them (src/commands/search.ts).
 * The baseline, in the same run, is fuse.js used the obvious way (see bench/lookup.ts).
 *
 * Run alone: npx tsx bench/search-quality.ts
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_DATA_DIR, PROJECT_ROOT } from "../src/paths.js";
import { Resolver } from "../src/search/resolve.js";
import { loadTaxonomy } from "../src/taxonomy/load.js";
import { cleanInput } from "../src/text/normalize.js";
import { obviousFuse } from "./lookup.js";
import type { Measurement, SectionResult } from "./types.js";

interface Labelled {
  query: string;
  lang: "en" | "zh";
  accept: string[];
}

const TOP = 3;
const BAR = 95;

export async function run(): Promise<SectionResult> {
  const taxonomy = loadTaxonomy(DEFAULT_DATA_DIR);
  const resolver = new Resolver(taxonomy);
  const fuse = obviousFuse(taxonomy);
  const { queries } = JSON.parse(
    readFileSync(join(PROJECT_ROOT, "bench", "queries", "search.json"), "utf8"),
  ) as {
    queries: Labelled[];
  };
  const measurements: Measurement[] = [];
  for (const lang of ["all", "en", "zh"] as const) {
    const set = lang === "all" ? queries : queries.filter((q) => q.lang === lang);
    let ours = 0;
    let theirs = 0;
    const misses: string[] = [];
    for (const { query, accept } of set) {
      const hits = resolver.fullText.search(cleanInput(query), 10).map((h) => h.entry.id);
      if (hits.slice(0, TOP).some((id) => accept.includes(id))) ours++;
      else misses.push(`“${query}” -> ${hits.slice(0, TOP).join(", ") || "nothing"}`);
      if (fuse.search(query, { limit: TOP }).some((r) => accept.includes(r.item.id))) theirs++;
    }
    const pct = (n: number) => Math.round((1000 * n) / set.length) / 10;
    measurements.push({
      name: `/search top-${TOP} accuracy${lang === "all" ? "" : `, ${lang === "en" ? "English" : "Chinese"} queries`}`,
      unit: "%",
      value: pct(ours),
      baseline: { name: "obvious fuse.js", value: pct(theirs) },
      ...(lang === "all" ? { bar: `≥ ${BAR}%`, pass: pct(ours) >= BAR } : {}),
      note: `${ours} of ${set.length} labelled queries (bench/queries/search.json)${misses.length > 0 ? `; missed: ${misses.join("; ")}` : ""}`,
    });
  }
  return { section: "search quality", measurements };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run(), null, 2));
}
