/**
 * How a name the member typed becomes an entry (product.md, "How a query is resolved"):
 * exact names first, then typo-tolerant names, then a choice or suggestions. Never throws.
 */
import { type Entry, namesOf, type Taxonomy } from "../taxonomy/model.js";
import { cleanInput, nameKey } from "../text/normalize.js";
import { Autocomplete } from "./autocomplete.js";
import { distanceScore } from "./distance.js";
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
/**
 * A name this short is one edit from other real projects ("k3s" and "k8s", "lxd" and "lxc"):
 * a typo of it is offered as "did you mean", never answered as if it were certain.
 */
const MAX_UNCERTAIN_LENGTH = 3;
/** How close a word of the query must be to a word of the name for a multi-word clear winner. */
const WORD_SCORE = 0.35;

/**
 * "id:<entry id>" names an entry by its id alone, never as a name: what buttons and Discord
 * autocomplete choices send, so that a tool whose id is also an ambiguous name (photon,
 * rancher) can be reached. Typed text without the prefix is resolved as a name, as always.
 */
const ID_REF = /^id:([a-z0-9]+(?:-[a-z0-9]+)*)$/i;

export function idRef(id: string): string {
  return `id:${id}`;
}

export class Resolver {
  readonly names: NameIndex;
  private built: { fuzzy?: FuzzyNames; fullText?: FullTextIndex; autocomplete?: Autocomplete } = {};

  /**
   * The exact-name index is built at once (every lookup needs it); the typo, full-text and
   * autocomplete indexes on first use, so a one-shot `npm run ask -- "/tool calico"` does not
   * pay for them. A server builds them all at start with warm().
   */
  constructor(readonly taxonomy: Taxonomy) {
    this.names = new NameIndex(taxonomy);
  }

  get fuzzy(): FuzzyNames {
    this.built.fuzzy ??= new FuzzyNames(this.names);
    return this.built.fuzzy;
  }

  get fullText(): FullTextIndex {
    this.built.fullText ??= new FullTextIndex(this.taxonomy);
    return this.built.fullText;
  }

  get autocomplete(): Autocomplete {
    this.built.autocomplete ??= new Autocomplete(this.names, this.fuzzy, {
      area: [...this.taxonomy.areas],
      tool: [...this.taxonomy.tools.values()].sort((a, b) => a.name.localeCompare(b.name)),
    });
    return this.built.autocomplete;
  }

  /** Builds every index now: before a server takes requests, and before a reload's swap. */
  warm(): this {
    void this.fuzzy;
    void this.fullText;
    void this.autocomplete;
    return this;
  }

  /**
   * Terms the data uses for something that is not an entry's name: tags and successors
   * ("falco", "k3s", "fluent bit"). Typed as a name, such a term is that thing, not a typo of
   * the nearest name (Falco is not Calico), so it gets suggestions instead of a guess.
   */
  private readonly terms = new Set<string>();

  private knownTerm(key: string): boolean {
    if (this.terms.size === 0) {
      for (const entry of this.taxonomy.entries()) {
        if (entry.type === "area") continue;
        for (const tag of entry.tags) this.terms.add(nameKey(tag));
        if (entry.type === "tool")
          for (const s of entry.successor ?? [])
            for (const text of typeof s === "string" ? [s] : [s.en, s.zh]) this.terms.add(nameKey(text));
      }
    }
    return this.terms.has(key);
  }

  resolve(namespace: Namespace, input: string): Resolution {
    const text = cleanInput(input);
    const ref = ID_REF.exec(text)?.[1]?.toLowerCase();
    if (ref !== undefined) {
      const entry = this.byId(namespace, ref);
      if (entry) return { kind: "exact", entry, matched: entry.type === "area" ? entry.name.en : entry.name };
      // An id no longer in the data (an old button): ids become aliases, so try it as a name.
      return this.resolve(namespace, ref);
    }
    const key = nameKey(text);
    const exact = this.names.get(namespace, key);
    const [only] = exact;
    if (only && exact.length === 1) return { kind: "exact", entry: only.entry, matched: only.matched };
    if (exact.length > 1) return { kind: "ambiguous", candidates: exact.map((h) => h.entry) };

    const fuzzy = key.length >= MIN_TYPO_LENGTH ? this.fuzzy.search(namespace, key) : [];
    const [best, second] = fuzzy;
    if (best && namespace === "tool" && this.knownTerm(key)) {
      return {
        kind: "none",
        candidates: this.suggest(
          namespace,
          text,
          [],
          fuzzy.map((h) => h.entry),
          true,
        ),
      };
    }
    if (
      best &&
      best.score <= CLEAR_WINNER_SCORE &&
      (!second || second.score - best.score >= CLEAR_WINNER_GAP) &&
      key.length > MAX_UNCERTAIN_LENGTH &&
      everyWordMatches(text, best.matched)
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
      candidates: this.suggest(
        namespace,
        text,
        this.fuzzy.containing(namespace, key, MAX_SUGGESTIONS).map((h) => h.entry),
        fuzzy.map((h) => h.entry),
      ),
    };
  }

  private byId(namespace: Namespace, id: string): Entry | undefined {
    if (namespace === "area") return this.taxonomy.area(id);
    return this.taxonomy.tool(id) ?? this.taxonomy.mentions.get(id);
  }

  /**
   * Up to five things worth trying: names that contain the text, then full-text hits of the
   * namespace, then loose typo matches. A loose typo (more than a third of the name wrong) is
   * only a guess about spelling, while a full-text hit names the text in its tags or
   * description ("containerd" is what replaced Rkt and Pouch): the better suggestion.
   */
  private suggest(
    namespace: Namespace,
    text: string,
    containing: Entry[],
    loose: Entry[],
    /** Keep room for the closest typo: the text is a term of its own, and may still be one. */
    keepOneForTypo = false,
  ): Entry[] {
    const out = new Set<Entry>();
    const add = (entry: Entry) => {
      if (out.size < MAX_SUGGESTIONS - (keepOneForTypo && loose.length > 0 ? 1 : 0)) out.add(entry);
    };
    for (const entry of containing) add(entry);
    if (text.length > 0) {
      for (const hit of this.fullText.search(text.slice(0, 200), 20)) {
        if ((hit.entry.type === "area") === (namespace === "area")) add(hit.entry);
      }
    }
    for (const entry of loose) if (out.size < MAX_SUGGESTIONS) out.add(entry);
    return [...out];
  }

  /**
   * A name to type that finds this entry and nothing else, for the hints under an answer
   * ("/tool photon engine": "photon" alone asks which Photon): the id when it is unique, else
   * its other names in order. Undefined when none is (validate.ts keeps every entry reachable).
   */
  uniqueName(entry: Entry): string | undefined {
    const namespace = entry.type === "area" ? "area" : "tool";
    return namesOf(entry).find((name) => {
      const hits = this.names.lookup(namespace, name);
      return hits.length === 1 && hits[0]?.entry === entry;
    });
  }
}

/** Words of a text, as a member separates them by spaces or punctuation ("fluent bit"). */
function wordsOf(text: string): string[] {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .split(/[\s\p{P}\p{S}]+/u)
    .filter((w) => w !== "");
}

/**
 * A typo of a multi-word name keeps its words ("open vswtich" for Open vSwitch). When a word
 * of the query is far from every word of the name, it names something else: "fluent bit" is
 * Fluent Bit, not a typo of Fluentd, however close the letters are once run together.
 */
function everyWordMatches(query: string, name: string): boolean {
  const queryWords = wordsOf(query);
  if (queryWords.length < 2) return true;
  const nameWords = wordsOf(name);
  const whole = nameKey(name);
  return queryWords.every(
    (word) =>
      nameWords.some((n) => distanceScore(word, n) <= WORD_SCORE) ||
      // Words the name runs together ("docker ui" for DockerUI) still count.
      (word.length >= MIN_TYPO_LENGTH && whole.includes(word)),
  );
}
