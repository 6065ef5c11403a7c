/**
 * The exact-name index: every id, name, Chinese name, alias and article spelling, folded by
 * nameKey, mapped to its entries. Built once per taxonomy; a lookup is one Map access.
 */
import { type Entry, namesOf, type Taxonomy } from "../taxonomy/model.js";
import { nameKey } from "../text/normalize.js";

export type Namespace = "area" | "tool";

export function namespaceOf(entry: Entry): Namespace {
  return entry.type === "area" ? "area" : "tool";
}

export interface NameHit {
  entry: Entry;
  /** The name as written in the data that the query matched ("Habor", "k8s"). */
  matched: string;
}

export class NameIndex {
  private readonly maps: Record<Namespace, Map<string, NameHit[]>> = { area: new Map(), tool: new Map() };

  constructor(taxonomy: Taxonomy) {
    for (const entry of taxonomy.entries()) {
      const map = this.maps[namespaceOf(entry)];
      for (const name of namesOf(entry)) {
        const key = nameKey(name);
        const hits = map.get(key) ?? [];
        if (!hits.some((h) => h.entry === entry)) hits.push({ entry, matched: name });
        map.set(key, hits);
      }
    }
    // Declared ambiguous names answer with every entry they may mean, even where the data
    // gives the name to one of them only (Rancher the tool vs RancherOS).
    for (const { name, entries } of taxonomy.ambiguous) {
      const key = nameKey(name);
      for (const id of entries) {
        const entry = taxonomy.entry(id);
        if (!entry) continue;
        const map = this.maps[namespaceOf(entry)];
        const hits = map.get(key) ?? [];
        if (!hits.some((h) => h.entry === entry)) hits.push({ entry, matched: name });
        map.set(key, hits);
      }
    }
  }

  lookup(namespace: Namespace, text: string): NameHit[] {
    return this.get(namespace, nameKey(text));
  }

  /** The hits of a key already folded with nameKey. */
  get(namespace: Namespace, key: string): NameHit[] {
    return this.maps[namespace].get(key) ?? [];
  }

  /** All keys of a namespace with their hits, for the fuzzy and prefix matchers. */
  keys(namespace: Namespace): IterableIterator<[string, NameHit[]]> {
    return this.maps[namespace].entries();
  }
}
