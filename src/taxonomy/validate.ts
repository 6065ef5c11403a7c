/**
 * Rules that span records, which a per-file schema cannot see: unique ids, names that belong to
 * one entry only (unless declared ambiguous), references that resolve; and the rules about
 * what a field may say (successors are bare names, licence kinds match the licence, links
 * avoid domains that changed hands), which a type cannot express.
 */
import { basename, extname } from "node:path";
import { hasChinese, nameKey } from "../text/normalize.js";
import type { AmbiguousName, AreaFile, LicenseKind, SuccessorName, ToolRecord } from "./schema.js";

/**
 * Domains of dead projects that are now gone or run by someone else
 * (shared/reference/tool-status-notes.md, "Old domains"): never linked. An article link on one
 * of them must say articleUrlSafe: false.
 */
export const UNSAFE_DOMAINS = [
  "shipyard-project.com",
  "weave.works",
  "hyper.sh",
  "nanobox.io",
  "flynn.io",
  "wercker.com",
  "rexray.io",
  "kelproject.com",
  "cargos.io",
] as const;

export function onUnsafeDomain(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return UNSAFE_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`));
}

interface Located {
  id: string;
  where: string;
  kind: "area" | "tool" | "mention";
  names: string[];
}

export function crossRecordProblems(
  files: readonly { file: string; data: AreaFile }[],
  ambiguous: readonly AmbiguousName[],
  ambiguousFile: string,
): string[] {
  const problems: string[] = [];
  const records: Located[] = [];
  const orders = new Map<number, string>();
  for (const { file, data } of files) {
    const seenOrder = orders.get(data.order);
    if (seenOrder) problems.push(`${file}: order ${data.order} is also used by ${seenOrder}`);
    orders.set(data.order, file);
    records.push({
      id: data.id,
      where: `${file} (area)`,
      kind: "area",
      names: [data.id, data.name.en, data.name.zh, ...data.aliases],
    });
    data.tools.forEach((t, i) => {
      records.push({
        id: t.id,
        where: `${file}: tools[${i}] (${t.id})`,
        kind: "tool",
        names: [t.id, t.name, t.articleName, ...(t.nameZh ? [t.nameZh] : []), ...t.aliases],
      });
    });
    data.mentions.forEach((m, i) => {
      records.push({
        id: m.id,
        where: `${file}: mentions[${i}] (${m.id})`,
        kind: "mention",
        names: [m.id, m.name, ...(m.nameZh ? [m.nameZh] : []), ...m.aliases],
      });
    });
  }

  const byId = new Map<string, Located>();
  for (const r of records) {
    const other = byId.get(r.id);
    if (other) problems.push(`${r.where}: id "${r.id}" is already used by ${other.where}`);
    else byId.set(r.id, r);
  }

  // Areas and tools are looked up in separate namespaces (/skilltree vs /tool), so a name
  // only has to be unique within its own namespace.
  const allowedShares = new Map<string, Set<string>>();
  ambiguous.forEach((a, i) => {
    const key = nameKey(a.name);
    allowedShares.set(key, new Set(a.entries));
    for (const id of a.entries) {
      if (!byId.has(id))
        problems.push(`${ambiguousFile}: [${i}] (${a.name}) › entries: no entry has the id "${id}"`);
    }
  });
  for (const namespace of ["area", "tool"] as const) {
    const owners = new Map<string, Located>();
    for (const r of records) {
      if ((r.kind === "area") !== (namespace === "area")) continue;
      for (const name of new Set(r.names.map(nameKey))) {
        if (name === "") {
          problems.push(`${r.where}: a name or alias has no letters or digits`);
          continue;
        }
        const owner = owners.get(name);
        if (!owner) {
          owners.set(name, r);
        } else if (owner.id !== r.id) {
          const allowed = allowedShares.get(name);
          if (!allowed?.has(owner.id) || !allowed.has(r.id)) {
            problems.push(
              `${r.where}: the name "${name}" also belongs to ${owner.where}; rename one, or list it in ${ambiguousFile}`,
            );
          }
        }
      }
    }
  }

  for (const { file, data } of files) {
    problems.push(...areaProblems(file, data));
  }

  const isToolOrMention = (id: string) => {
    const kind = byId.get(id)?.kind;
    return kind === "tool" || kind === "mention";
  };
  for (const { file, data } of files) {
    data.tools.forEach((t, i) => {
      for (const [field, ids] of [
        ["related", t.related],
        ["successorIds", t.successorIds],
      ] as const) {
        for (const ref of ids) {
          if (ref === t.id) problems.push(`${file}: tools[${i}] (${t.id}) › ${field}: refers to itself`);
          else if (!isToolOrMention(ref))
            problems.push(
              `${file}: tools[${i}] (${t.id}) › ${field}: no tool or mention has the id "${ref}"`,
            );
        }
      }
      if (t.status !== "active" && t.status !== "commercial" && t.status !== "maintenance" && !t.statusYear) {
        problems.push(
          `${file}: tools[${i}] (${t.id}) › statusYear: a ${t.status} tool needs the year it happened`,
        );
      }
      const where = `${file}: tools[${i}] (${t.id})`;
      problems.push(...successorProblems(where, t, (id) => byId.get(id)?.names ?? [], records));
    });
    data.mentions.forEach((m, i) => {
      if (m.tool && byId.get(m.tool)?.kind !== "tool") {
        problems.push(`${file}: mentions[${i}] (${m.id}) › tool: no tool has the id "${m.tool}"`);
      }
    });
  }

  const namedAsSuccessor = new Set(files.flatMap(({ data }) => data.tools.flatMap((t) => t.successorIds)));
  for (const { file, data } of files) {
    data.mentions.forEach((m, i) => {
      if (m.inArticle === false && !namedAsSuccessor.has(m.id)) {
        problems.push(
          `${file}: mentions[${i}] (${m.id}) › inArticle: an entry the article does not name must be a successor of some tool (its successorIds)`,
        );
      }
    });
  }
  return problems;
}

/**
 * Rules about content rather than structure, checked by `npm run validate:data` (and the
 * tests) but not at start-up, where an incomplete entry is still worth serving: every area
 * has the article's key points, and members can search every entry in both languages.
 */
export function editorialProblems(files: readonly { file: string; data: AreaFile }[]): string[] {
  const problems: string[] = [];
  for (const { file, data } of files) {
    if (data.keyPoints.length === 0)
      problems.push(`${file}: keyPoints: an area needs at least one of the article's key points`);
    const entries = [
      ...data.tools.map((t, i) => ({
        where: `${file}: tools[${i}] (${t.id})`,
        tags: t.tags,
        required: true,
      })),
      ...data.mentions.map((m, i) => ({
        where: `${file}: mentions[${i}] (${m.id})`,
        tags: m.tags,
        required: false,
      })),
    ];
    for (const { where, tags, required } of entries) {
      // A mention may have no tags at all; what has tags has them in both languages.
      if (!required && tags.length === 0) continue;
      if (!tags.some(hasChinese)) problems.push(`${where} › tags: add at least one Chinese tag`);
      if (!tags.some((tag) => !hasChinese(tag)))
        problems.push(`${where} › tags: add at least one English tag`);
    }
  }
  return problems;
}

/** One area file on its own: its file name, its links and its licences. */
function areaProblems(file: string, data: AreaFile): string[] {
  const problems: string[] = [];
  const stem = basename(file, extname(file));
  if (stem !== data.id)
    problems.push(`${file}: id: the file of area "${data.id}" must be named ${data.id}.yaml`);
  const entries = [
    ...data.tools.map((t, i) => ({ where: `${file}: tools[${i}] (${t.id})`, entry: t, tool: t })),
    ...data.mentions.map((m, i) => ({
      where: `${file}: mentions[${i}] (${m.id})`,
      entry: m,
      tool: undefined,
    })),
  ];
  for (const { where, entry, tool } of entries) {
    for (const field of ["homepage", "repository"] as const) {
      const url = field in entry ? (entry as { [k in typeof field]?: string })[field] : undefined;
      if (url && onUnsafeDomain(url))
        problems.push(`${where} › ${field}: ${url} is on a domain now run by someone else; do not link it`);
    }
    if (!tool) continue;
    if (tool.articleUrlSafe && onUnsafeDomain(tool.articleUrl)) {
      problems.push(
        `${where} › articleUrlSafe: ${tool.articleUrl} is on a domain now run by someone else; set articleUrlSafe: false`,
      );
    }
    const kinds = licenseFamilies(tool.license);
    const expected: LicenseKind | undefined =
      kinds.size > 1 ? "mixed" : kinds.size === 1 ? [...kinds][0] : undefined;
    if (expected && tool.licenseKind !== expected) {
      problems.push(
        `${where} › licenseKind: "${tool.license}" is ${expected === "mixed" ? `a mix (${[...kinds].join(", ")})` : expected}, so the kind must be ${expected}`,
      );
    }
  }
  return problems;
}

/** Which kinds of licence a licence text names: "Apache-2.0 (kernel driver GPL-2.0)" is two. */
function licenseFamilies(license: string): Set<LicenseKind> {
  const kinds = new Set<LicenseKind>();
  if (/\b(?:MIT|BSD|Apache|zlib|ISC)\b/i.test(license)) kinds.add("permissive");
  if (/\b(?:[AL]?GPL|MPL|EPL|CDDL)\b/.test(license)) kinds.add("copyleft");
  if (/\b(?:BUSL|SSPL|Elastic)\b/.test(license)) kinds.add("source-available");
  if (/\b(?:proprietary|EULA|subscription|freeware)\b/i.test(license)) kinds.add("proprietary");
  return kinds;
}

/**
 * Words that make a successor a sentence rather than a name: the status line supplies the
 * wording ("use … instead", "now part of …"), and alternatives are separate names.
 */
const PHRASE =
  /(?:^|\s)(?:use|instead|the|any|another|other|fork|formerly|often|replaces|inside|outside|elsewhere|now|or)(?=\s|$)|[;:()（）；：]/i;

function successorProblems(
  where: string,
  tool: ToolRecord,
  namesOfId: (id: string) => string[],
  records: readonly { id: string; kind: string; names: string[] }[],
): string[] {
  const problems: string[] = [];
  const successor = tool.successor ?? [];
  if (tool.status === "active" && successor.length > 0) {
    problems.push(`${where} › successor: an active tool has no successor; say what is worth knowing in note`);
  }
  const texts = successor.map((s: SuccessorName) => (typeof s === "string" ? s : s.en));
  for (const [j, name] of texts.entries()) {
    if (PHRASE.test(name)) {
      problems.push(
        `${where} › successor[${j}]: "${name}" is not a bare name; list each alternative as its own name and put the rest in note`,
      );
    }
  }
  // Every successor id is one of the names listed, so its button matches the text ...
  const words = (text: string) => ` ${text.toLowerCase().replace(/[^\p{L}\p{N}+.-]+/gu, " ")} `;
  for (const id of tool.successorIds) {
    const names = namesOfId(id).map((n) => n.toLowerCase());
    if (!texts.some((t) => names.some((n) => words(t).includes(` ${n} `)))) {
      problems.push(`${where} › successorIds: "${id}" is not one of the names in successor`);
    }
  }
  // ... and a listed name that is an entry of its own has its id there, so it gets a button.
  for (const text of texts) {
    const owner = records.find((r) => r.kind !== "area" && r.names.some((n) => nameKey(n) === nameKey(text)));
    if (owner && owner.id !== tool.id && !tool.successorIds.includes(owner.id)) {
      problems.push(`${where} › successorIds: "${text}" is the entry ${owner.id}; add it to successorIds`);
    }
  }
  return problems;
}
