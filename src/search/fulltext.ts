/**
 * `/search`: a token index over names, aliases, tags, summaries and descriptions in both
 * languages, so free text like "overlay network" or "日志收集" ranks the right tools first.
 *
 * Ranking is BM25+ per field (k 1.2, b 0.7, d 0.5; a field's length counted in distinct tokens),
 * weighted by field (names 6, tags 3, summary 2, description 1) and by entry type (listed tools
 * first), summed over the query's words and multiplied by how many distinct words matched. The
 * last word also matches as a prefix ("kube" finds "kubernetes"), and words of five letters or
 * more also match with a typo or two (a fifth of their length; a swapped pair of letters is one
 * typo): those count for less, the further they are. Words are stemmed (tokenize.ts), so
 * "encrypt" finds "encryption".
 *
 * This is the scoring of MiniSearch, which this index used to be, built on flat arrays because
 * the bot only needs the first few results of a read-only index: postings per word and field in
 * typed arrays, scores added up in one reused array, the first `limit` picked without sorting
 * everything, prefixes by binary search over the sorted words, typos by the bounded
 * edit-distance search of edits.ts. A few hundred microseconds at 10,000 tools, and a sixth of
 * the memory (bench/lookup.ts).
 */
import { type Entry, namesOf, type Taxonomy } from "../taxonomy/model.js";
import { nameKey } from "../text/normalize.js";
import { EditSpace } from "./edits.js";
import { processTerm, tokenize } from "./tokenize.js";

export interface SearchHit {
  entry: Entry;
  score: number;
}

const FIELDS = ["names", "tags", "summary", "description"] as const;
type Field = (typeof FIELDS)[number];
const FIELD_BOOST: Record<Field, number> = { names: 6, tags: 3, summary: 2, description: 1 };
/** Listed tools first: a passing mention or an area should not outrank the tool itself. */
const TYPE_BOOST: Record<Entry["type"], number> = { tool: 1, area: 0.8, mention: 0.6 };
/** BM25+ parameters. */
const K = 1.2;
const B = 0.7;
const D = 0.5;
/** A prefix match of the last word; a typo match of a word of MIN_FUZZY letters or more. */
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
const MIN_PREFIX = 3;
const MIN_FUZZY = 5;
/** Edits allowed per letter of a word, and at most. */
const FUZZY_RATIO = 0.2;
const MAX_FUZZY = 6;

type Doc = Record<Field, string>;

export class FullTextIndex {
  private readonly entries: Entry[];
  private readonly docBoost: Float64Array;
  /** BM25 length normalisation per document and field: K * (1 - B + B * length / average). */
  private readonly norm: Float64Array;
  /** Word -> id; ids index `wordStart` (per field) and the sorted list for prefixes. */
  private readonly words = new Map<string, number>();
  /** Postings of word w in field f: `docs` and `freqs` from offset[w * 4 + f] to offset[w * 4 + f + 1]. */
  private readonly offset: Int32Array;
  private readonly docs: Int32Array;
  private readonly freqs: Uint16Array;
  /** Inverse document frequency of word w in field f, at w * 4 + f. */
  private readonly idf: Float64Array;
  /** Words in code-unit order, for prefix ranges, with their ids. */
  private readonly sortedWords: string[];
  private readonly sortedIds: Int32Array;
  private readonly typos: EditSpace;
  // Scratch space reused by every search (one runs at a time): scores, matched words, touched docs.
  private readonly scores: Float64Array;
  private readonly quality: Uint16Array;
  private readonly seenBy: Int32Array;
  private readonly touched: Int32Array;
  private generation = 0;

  constructor(taxonomy: Taxonomy) {
    this.entries = taxonomy.entries();
    const count = this.entries.length;
    const fields = FIELDS.length;
    this.docBoost = Float64Array.from(this.entries, (e) => TYPE_BOOST[e.type]);
    const lengths = new Float64Array(count * fields);
    const wordList: string[] = [];
    const postings: number[][] = []; // per word * field: doc, freq, doc, freq...
    // Most tokens recur, so each distinct token is looked up once (its word id, -1 for a stop
    // word) and counted per field through stamps instead of a Set and a Map per field.
    const tokenIds = new Map<string, number>();
    const tokenWord: number[] = [];
    const tokenStamp: number[] = [];
    const wordStamp: number[] = [];
    const wordFreq: number[] = [];
    let stamp = 0;
    this.entries.forEach((entry, doc) => {
      const text = toDoc(entry);
      FIELDS.forEach((field, f) => {
        stamp++;
        let distinct = 0;
        const inField: number[] = [];
        for (const token of tokenize(text[field])) {
          let t = tokenIds.get(token);
          if (t === undefined) {
            t = tokenWord.length;
            tokenIds.set(token, t);
            const word = processTerm(token);
            let id = word ? this.words.get(word) : -1;
            if (word && id === undefined) {
              id = wordList.length;
              this.words.set(word, id);
              wordList.push(word);
              wordStamp.push(0);
              wordFreq.push(0);
              for (let i = 0; i < fields; i++) postings.push([]);
            }
            tokenWord.push(id ?? -1);
            tokenStamp.push(0);
          }
          if (tokenStamp[t] !== stamp) {
            tokenStamp[t] = stamp;
            distinct++;
          }
          const id = tokenWord[t] as number;
          if (id < 0) continue;
          if (wordStamp[id] !== stamp) {
            wordStamp[id] = stamp;
            wordFreq[id] = 0;
            inField.push(id);
          }
          wordFreq[id] = (wordFreq[id] as number) + 1;
        }
        lengths[doc * fields + f] = distinct;
        for (const id of inField) (postings[id * fields + f] as number[]).push(doc, wordFreq[id] as number);
      });
    });

    const average = FIELDS.map((_, f) => {
      let sum = 0;
      for (let doc = 0; doc < count; doc++) sum += lengths[doc * fields + f] as number;
      return count > 0 ? sum / count : 0;
    });
    this.norm = lengths.map((length, i) => {
      const avg = average[i % fields] as number;
      return K * (1 - B + (avg > 0 ? (B * length) / avg : 0));
    });

    this.offset = new Int32Array(postings.length + 1);
    let total = 0;
    postings.forEach((list, i) => {
      this.offset[i] = total;
      total += list.length / 2;
    });
    this.offset[postings.length] = total;
    this.docs = new Int32Array(total);
    this.freqs = new Uint16Array(total);
    this.idf = new Float64Array(postings.length);
    postings.forEach((list, i) => {
      const at = this.offset[i] as number;
      for (let j = 0; j < list.length; j += 2) {
        this.docs[at + j / 2] = list[j] as number;
        this.freqs[at + j / 2] = Math.min(65535, list[j + 1] as number);
      }
      const df = list.length / 2;
      this.idf[i] = Math.log(1 + (count - df + 0.5) / (df + 0.5));
    });

    const byText = wordList
      .map((word, id) => ({ word, id }))
      .sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
    this.sortedWords = byText.map((w) => w.word);
    this.sortedIds = Int32Array.from(byText, (w) => w.id);
    this.typos = new EditSpace(wordList);

    this.scores = new Float64Array(count);
    this.quality = new Uint16Array(count);
    this.seenBy = new Int32Array(count);
    this.touched = new Int32Array(count);
  }

  /** The best `limit` entries for the text, best first; equal scores keep the first found first. */
  search(text: string, limit = 10): SearchHit[] {
    const terms = tokenize(text).flatMap((token) => processTerm(token) ?? []);
    if (terms.length === 0 || limit <= 0) return [];
    const { scores, quality, seenBy, touched } = this;
    let count = 0;
    // Documents get one point of quality per distinct query word they match, so the words are
    // taken one distinct word at a time (all its places in the query together), each with a new
    // generation number: a document not yet seen by this generation counts the word.
    const places = new Map<string, number[]>();
    terms.forEach((term, i) => {
      places.set(term, [...(places.get(term) ?? []), i]);
    });
    const add = (word: number, weight: number, source: number) => {
      for (let f = 0; f < FIELDS.length; f++) {
        const slot = word * FIELDS.length + f;
        const end = this.offset[slot + 1] as number;
        const idf = this.idf[slot] as number;
        const boost = weight * FIELD_BOOST[FIELDS[f] as Field];
        for (let p = this.offset[slot] as number; p < end; p++) {
          const doc = this.docs[p] as number;
          const tf = this.freqs[p] as number;
          if (seenBy[doc] !== source) {
            if (seenBy[doc] === 0) {
              touched[count++] = doc;
              scores[doc] = 0;
              quality[doc] = 0;
            }
            quality[doc] = (quality[doc] as number) + 1;
            seenBy[doc] = source;
          }
          const raw = idf * (D + (tf * (K + 1)) / (tf + (this.norm[doc * FIELDS.length + f] as number)));
          scores[doc] = (scores[doc] as number) + boost * raw;
        }
      }
    };
    try {
      for (const [term, at] of places) {
        const source = ++this.generation;
        for (const i of at) this.match(term, i === terms.length - 1, source, add);
      }
      return this.best(count, limit);
    } finally {
      for (let i = 0; i < count; i++) seenBy[touched[i] as number] = 0;
      if (this.generation > 2 ** 30) this.generation = 0;
    }
  }

  /** Scores one place of a word: the word itself, longer words it starts (if last), typos of it. */
  private match(
    term: string,
    last: boolean,
    source: number,
    add: (word: number, weight: number, source: number) => void,
  ): void {
    const exact = this.words.get(term);
    if (exact !== undefined) add(exact, 1, source);
    const prefixed = new Set<number>();
    if (last && term.length >= MIN_PREFIX) {
      for (let s = lowerBound(this.sortedWords, term); s < this.sortedWords.length; s++) {
        const word = this.sortedWords[s] as string;
        if (!word.startsWith(term)) break;
        if (word.length === term.length) continue;
        const id = this.sortedIds[s] as number;
        prefixed.add(id);
        add(id, (PREFIX_WEIGHT * word.length) / (word.length + 0.3 * (word.length - term.length)), source);
      }
    }
    if (term.length >= MIN_FUZZY) {
      const max = Math.min(MAX_FUZZY, Math.round(term.length * FUZZY_RATIO));
      const near: [id: number, distance: number, length: number][] = [];
      this.typos.search(term, {
        transpositions: true,
        budget: () => max,
        visit: (id, distance, word) => {
          if (distance > 0 && !prefixed.has(id)) near.push([id, distance, word.length]);
        },
      });
      for (const [id, distance, length] of near)
        add(id, (FUZZY_WEIGHT * length) / (length + distance), source);
    }
  }

  /** The `limit` best of the touched documents, by final score; ties keep the earlier one. */
  private best(count: number, limit: number): SearchHit[] {
    const top: { doc: number; score: number }[] = [];
    for (let i = 0; i < count; i++) {
      const doc = this.touched[i] as number;
      const score =
        (this.scores[doc] as number) * (this.quality[doc] as number) * (this.docBoost[doc] as number);
      if (top.length === limit && score <= (top[limit - 1] as { score: number }).score) continue;
      let at = top.length;
      while (at > 0 && (top[at - 1] as { score: number }).score < score) at--;
      top.splice(at, 0, { doc, score });
      if (top.length > limit) top.pop();
    }
    return top.map(({ doc, score }) => ({ entry: this.entries[doc] as Entry, score }));
  }
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function toDoc(entry: Entry): Doc {
  // Each distinct name once: the id, the name and the article's spelling are often the same
  // name ("rapid-dashboard", "Rapid Dashboard"), which should not count three times.
  const seen = new Set<string>();
  const names = namesOf(entry)
    .filter((name) => {
      const key = nameKey(name);
      return !seen.has(key) && seen.add(key);
    })
    .join(" ");
  if (entry.type === "area") {
    return {
      names,
      tags: entry.aliases.join(" "),
      summary: `${entry.summary.en} ${entry.summary.zh}`,
      description: entry.keyPoints.map((k) => `${k.en} ${k.zh}`).join(" "),
    };
  }
  if (entry.type === "mention") {
    return {
      names,
      tags: entry.tags.join(" "),
      summary: `${entry.summary.en} ${entry.summary.zh}`,
      description: "",
    };
  }
  // What the card says about today counts too: "podman" finds the tools Podman replaced.
  const successors = (entry.successor ?? []).map((s) => (typeof s === "string" ? s : `${s.en} ${s.zh}`));
  return {
    names,
    tags: entry.tags.join(" "),
    summary: `${entry.summary.en} ${entry.summary.zh}`,
    description: [
      entry.description.en,
      entry.description.zh,
      ...successors,
      ...(entry.note ? [entry.note.en, entry.note.zh] : []),
    ].join(" "),
  };
}
