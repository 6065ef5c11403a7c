/**
 * Rules that span records, which a per-file schema cannot see: unique ids, names that belong to
 * one entry only (unless declared ambiguous), references that resolve.
 */
import { nameKey } from "../text/normalize.js";
import type { AmbiguousName, AreaFile } from "./schema.js";

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
    });
    data.mentions.forEach((m, i) => {
      if (m.tool && byId.get(m.tool)?.kind !== "tool") {
        problems.push(`${file}: mentions[${i}] (${m.id}) › tool: no tool has the id "${m.tool}"`);
      }
    });
  }
  return problems;
}
