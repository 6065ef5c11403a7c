/** The loaded taxonomy: areas, tools and mentions, linked both ways and looked up by id. */
import type { AmbiguousName, AreaFile, Localized, MentionRecord, ToolRecord } from "./schema.js";

export type EntryType = "area" | "tool" | "mention";

export interface Area {
  type: "area";
  id: string;
  order: number;
  name: Localized;
  aliases: string[];
  color: string;
  summary: Localized;
  keyPoints: Localized[];
  /** Listed tools, in the article's order. */
  toolIds: string[];
  /** Items the article mentions in passing (entries with inArticle false are not among them). */
  mentionIds: string[];
}

export interface Tool extends ToolRecord {
  type: "tool";
  area: string;
}

export interface Mention extends MentionRecord {
  type: "mention";
  area: string;
}

export type Entry = Area | Tool | Mention;

export class Taxonomy {
  readonly areas: readonly Area[];
  readonly tools: ReadonlyMap<string, Tool>;
  readonly mentions: ReadonlyMap<string, Mention>;
  readonly ambiguous: readonly AmbiguousName[];
  private readonly byId: ReadonlyMap<string, Entry>;
  private readonly succeeded = new Map<string, Tool[]>();

  constructor(files: readonly AreaFile[], ambiguous: readonly AmbiguousName[]) {
    const areas: Area[] = [];
    const tools = new Map<string, Tool>();
    const mentions = new Map<string, Mention>();
    for (const file of [...files].sort((a, b) => a.order - b.order)) {
      const { tools: toolRecords, mentions: mentionRecords, ...area } = file;
      areas.push({
        ...area,
        type: "area",
        toolIds: toolRecords.map((t) => t.id),
        // Successors the article never named have entries but are not "mentioned in the article".
        mentionIds: mentionRecords.filter((m) => m.inArticle !== false).map((m) => m.id),
      });
      for (const t of toolRecords) tools.set(t.id, { ...t, type: "tool", area: file.id });
      for (const m of mentionRecords) mentions.set(m.id, { ...m, type: "mention", area: file.id });
    }
    this.areas = areas;
    this.tools = tools;
    this.mentions = mentions;
    this.ambiguous = ambiguous;
    this.byId = new Map<string, Entry>([...areas.map((a) => [a.id, a] as const), ...tools, ...mentions]);
    for (const tool of tools.values()) {
      for (const id of tool.successorIds) this.succeeded.set(id, [...(this.succeeded.get(id) ?? []), tool]);
    }
  }

  /** The tools that name this entry among their successors (containerd: Rkt, Garden, Pouch). */
  succeededBy(id: string): readonly Tool[] {
    return this.succeeded.get(id) ?? [];
  }

  entry(id: string): Entry | undefined {
    return this.byId.get(id);
  }

  area(id: string): Area | undefined {
    const entry = this.byId.get(id);
    return entry?.type === "area" ? entry : undefined;
  }

  tool(id: string): Tool | undefined {
    return this.tools.get(id);
  }

  /** Every entry: areas first, then tools and mentions in the article's order. */
  entries(): Entry[] {
    return [...this.byId.values()];
  }

  toolsOf(area: Area): Tool[] {
    return area.toolIds.flatMap((id) => this.tools.get(id) ?? []);
  }

  mentionsOf(area: Area): Mention[] {
    return area.mentionIds.flatMap((id) => this.mentions.get(id) ?? []);
  }
}

/** Every name an entry answers to: id, names in both languages, aliases. */
export function namesOf(entry: Entry): string[] {
  if (entry.type === "area") return [entry.id, entry.name.en, entry.name.zh, ...entry.aliases];
  const names = [entry.id, entry.name, ...(entry.nameZh ? [entry.nameZh] : []), ...entry.aliases];
  if (entry.type === "tool") names.push(entry.articleName);
  return names;
}

export function displayName(entry: Entry, locale: "en" | "zh-CN"): string {
  if (entry.type === "area") return locale === "zh-CN" ? entry.name.zh : entry.name.en;
  return entry.name;
}
