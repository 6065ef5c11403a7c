/**
 * Reads data/, validates every file with zod and the cross-record rules, and builds the
 * Taxonomy. Any problem becomes a DataError whose message names the file, the entry and the
 * field, because that is what someone editing YAML needs to fix it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseDocument, type Scalar, visit, YAMLParseError } from "yaml";
import type { z } from "zod";
import { PROJECT_ROOT } from "../paths.js";
import { foldLines } from "../text/normalize.js";
import { DataError } from "./errors.js";
import { Taxonomy } from "./model.js";
import { type AmbiguousName, type AreaFile, ambiguousFileSchema, areaFileSchema } from "./schema.js";
import { crossRecordProblems, editorialProblems } from "./validate.js";

export { DataError } from "./errors.js";

export interface LoadOptions {
  /** Also apply the content rules of `npm run validate:data` (validate.ts, editorialProblems). */
  editorial?: boolean;
}

export function loadTaxonomy(dataDir: string, options: LoadOptions = {}): Taxonomy {
  const { areas, ambiguous } = readTaxonomyData(dataDir, options);
  return new Taxonomy(areas, ambiguous);
}

/** The validated contents of data/ (what Taxonomy is built from); throws a DataError. */
export function readTaxonomyData(
  dataDir: string,
  options: LoadOptions = {},
): { areas: AreaFile[]; ambiguous: AmbiguousName[] } {
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
  if (problems.length === 0 && options.editorial) problems.push(...editorialProblems(files));
  if (problems.length > 0) throw new DataError(problems);
  return { areas: files.map((f) => f.data), ambiguous };
}

function readValidated<S extends z.ZodType>(
  file: string,
  schema: S,
  problems: string[],
): z.output<S> | undefined {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, "utf8"));
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

/**
 * Parses YAML, with line breaks in multi-line text joined the way the text reads (foldLines):
 * a folded block (`>-`) or a plain scalar spread over lines gets no space where a break falls
 * inside Chinese, so data files can wrap Chinese prose at any width.
 */
export function parseYaml(text: string): unknown {
  const doc = parseDocument(text, { keepSourceTokens: true });
  const [error] = doc.errors;
  if (error) throw error;
  visit(doc, { Scalar: (_key, node) => refold(node) });
  return doc.toJS();
}

function refold(node: Scalar): void {
  if (typeof node.value !== "string" || (node.type !== "BLOCK_FOLDED" && node.type !== "PLAIN")) return;
  const source = node.srcToken && "source" in node.srcToken ? node.srcToken.source : undefined;
  if (typeof source !== "string" || !source.includes("\n")) return;
  const lines = source.split("\n").map((line) => line.trim());
  const first = lines.findIndex((line) => line !== "");
  const last = lines.findLastIndex((line) => line !== "");
  const body = lines.slice(first, last + 1);
  // Only the common case is rewritten: lines that YAML joined with single spaces. Anything
  // else (blank lines inside, more-indented lines, escapes) keeps YAML's own reading.
  if (first === -1 || body.includes("")) return;
  const yamlReading = body.join(" ");
  const rest = node.value.slice(yamlReading.length);
  if (!node.value.startsWith(yamlReading) || rest.trim() !== "") return;
  node.value = foldLines(body) + rest;
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
