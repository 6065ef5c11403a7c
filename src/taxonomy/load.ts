/**
 * Reads data/, validates every file with zod and the cross-record rules, and builds the
 * Taxonomy. Any problem becomes a DataError whose message names the file, the entry and the
 * field, because that is what someone editing YAML needs to fix it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse, YAMLParseError } from "yaml";
import type { z } from "zod";
import { PROJECT_ROOT } from "../paths.js";
import { Taxonomy } from "./model.js";
import { type AmbiguousName, type AreaFile, ambiguousFileSchema, areaFileSchema } from "./schema.js";
import { crossRecordProblems } from "./validate.js";

export class DataError extends Error {
  constructor(readonly problems: string[]) {
    super(`The taxonomy data is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "DataError";
  }
}

export function loadTaxonomy(dataDir: string): Taxonomy {
  const problems: string[] = [];
  const files: { file: string; data: AreaFile }[] = [];
  const areaDir = join(dataDir, "areas");
  let names: string[] = [];
  try {
    names = readdirSync(areaDir).filter((n) => n.endsWith(".yaml") || n.endsWith(".yml"));
  } catch {
    throw new DataError([`${show(areaDir)}: cannot read the folder`]);
  }
  if (names.length === 0) problems.push(`${show(areaDir)}: no area files (*.yaml)`);
  for (const name of names.sort()) {
    const file = join(areaDir, name);
    const data = readValidated(file, areaFileSchema, problems);
    if (data) files.push({ file: show(file), data });
  }
  const ambiguousFile = join(dataDir, "ambiguous.yaml");
  const ambiguous: AmbiguousName[] = readValidated(ambiguousFile, ambiguousFileSchema, problems) ?? [];
  if (problems.length === 0) problems.push(...crossRecordProblems(files, ambiguous, show(ambiguousFile)));
  if (problems.length > 0) throw new DataError(problems);
  return new Taxonomy(
    files.map((f) => f.data),
    ambiguous,
  );
}

function readValidated<S extends z.ZodType>(
  file: string,
  schema: S,
  problems: string[],
): z.output<S> | undefined {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, "utf8"));
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const line = error.linePos?.[0];
      problems.push(
        `${show(file)}${line ? `:${line.line}` : ""}: not valid YAML: ${error.message.split("\n")[0]}`,
      );
    } else {
      problems.push(`${show(file)}: cannot read the file`);
    }
    return undefined;
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  for (const issue of result.error.issues.slice(0, 20)) {
    problems.push(`${show(file)}: ${describePath(raw, issue.path)}: ${issue.message}`);
  }
  return undefined;
}

/** tools[3] (calico) › homepage: the entry's id makes the position findable in a long file. */
function describePath(raw: unknown, path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(top level)";
  const parts: string[] = [];
  let node: unknown = raw;
  for (const key of path) {
    node =
      node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === "number") {
      const id = node !== null && typeof node === "object" ? (node as { id?: unknown }).id : undefined;
      const index = `[${key}]${typeof id === "string" ? ` (${id})` : ""}`;
      if (parts.length === 0) parts.push(index);
      else parts[parts.length - 1] += index;
    } else {
      parts.push(String(key));
    }
  }
  return parts.join(" › ");
}

function show(path: string): string {
  return relative(PROJECT_ROOT, path) || path;
}
