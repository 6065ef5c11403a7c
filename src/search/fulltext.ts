/**
 * `/search`: a token index (MiniSearch, BM25) over names, aliases, tags, summaries and
 * descriptions in both languages, so free text like "overlay network" or "日志收集" ranks
 * the right tools first.
 */
import MiniSearch from "minisearch";
import { type Entry, namesOf, type Taxonomy } from "../taxonomy/model.js";
import { processTerm, tokenize } from "./tokenize.js";

interface Doc {
  id: string;
  names: string;
  tags: string;
  summary: string;
  description: string;
}

export interface SearchHit {
  entry: Entry;
  score: number;
}

/** Listed tools first: a passing mention or an area should not outrank the tool itself. */
const TYPE_BOOST: Record<Entry["type"], number> = { tool: 1, area: 0.8, mention: 0.6 };

export class FullTextIndex {
  private readonly mini: MiniSearch<Doc>;

  constructor(private readonly taxonomy: Taxonomy) {
    this.mini = new MiniSearch<Doc>({
      fields: ["names", "tags", "summary", "description"],
      tokenize,
      processTerm,
      searchOptions: {
        boost: { names: 6, tags: 3, summary: 2, description: 1 },
        prefix: (term, i, terms) => i === terms.length - 1 && term.length >= 3,
        fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
        combineWith: "OR",
        boostDocument: (id) => TYPE_BOOST[taxonomy.entry(String(id))?.type ?? "mention"],
      },
    });
    this.mini.addAll(taxonomy.entries().map(toDoc));
  }

  search(text: string, limit = 10): SearchHit[] {
    const hits: SearchHit[] = [];
    for (const result of this.mini.search(text)) {
      const entry = this.taxonomy.entry(String(result.id));
      if (entry) hits.push({ entry, score: result.score });
      if (hits.length >= limit) break;
    }
    return hits;
  }
}

function toDoc(entry: Entry): Doc {
  const names = namesOf(entry).join(" ");
  if (entry.type === "area") {
    return {
      id: entry.id,
      names,
      tags: entry.aliases.join(" "),
      summary: `${entry.summary.en} ${entry.summary.zh}`,
      description: entry.keyPoints.map((k) => `${k.en} ${k.zh}`).join(" "),
    };
  }
  return {
    id: entry.id,
    names,
    tags: entry.tags.join(" "),
    summary: `${entry.summary.en} ${entry.summary.zh}`,
    description: entry.type === "tool" ? `${entry.description.en} ${entry.description.zh}` : "",
  };
}
