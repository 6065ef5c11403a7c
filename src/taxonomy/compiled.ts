/**
 * The taxonomy for a fast start: data/ as it was last validated, kept as JSON next to the
 * SQLite file (var/cache/) under a hash of every data file's bytes. A start whose data has not
 * changed reads that JSON and skips the YAML parser, zod and the cross-record rules (they are
 * not even loaded), which are most of a one-shot answer's time. Any change to any data file is
 * a new hash, so it goes through the full validation of load.ts, and a broken edit still stops
 * start-up with its file, entry and field. A cache that cannot be written (a read-only image)
 * only costs the fast path.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Taxonomy } from "./model.js";
import type { AmbiguousName, AreaFile } from "./schema.js";

/** Bump when the validated shape (schema.ts output) changes, so old caches are not read. */
const FORMAT = 1;

interface Compiled {
  format: number;
  areas: AreaFile[];
  ambiguous: AmbiguousName[];
}

/** Every data file's name and bytes, hashed: the cache key. Undefined when data/ is unreadable. */
function fingerprint(dataDir: string): string | undefined {
  try {
    const hash = createHash("sha256").update(`format ${FORMAT}\n`);
    const areaDir = join(dataDir, "areas");
    const files = readdirSync(areaDir)
      .filter((n) => n.endsWith(".yaml") || n.endsWith(".yml"))
      .sort()
      .map((n) => join(areaDir, n));
    for (const file of [...files, join(dataDir, "ambiguous.yaml")]) {
      hash.update(`${file.slice(dataDir.length)}\n`).update(readFileSync(file));
    }
    return hash.digest("hex").slice(0, 32);
  } catch {
    return undefined;
  }
}

export async function loadTaxonomyFast(dataDir: string, cacheDir: string): Promise<Taxonomy> {
  const key = fingerprint(dataDir);
  const file = key ? join(cacheDir, `taxonomy-${key}.json`) : undefined;
  if (file) {
    const compiled = readCompiled(file);
    if (compiled) return new Taxonomy(compiled.areas, compiled.ambiguous);
  }
  // A miss (first start, or the data changed): the full validation, then keep its result.
  const { readTaxonomyData } = await import("./load.js");
  const { areas, ambiguous } = readTaxonomyData(dataDir);
  if (file) writeCompiled(cacheDir, file, { format: FORMAT, areas, ambiguous });
  return new Taxonomy(areas, ambiguous);
}

function readCompiled(file: string): Compiled | undefined {
  try {
    const compiled = JSON.parse(readFileSync(file, "utf8")) as Compiled;
    return compiled.format === FORMAT && Array.isArray(compiled.areas) ? compiled : undefined;
  } catch {
    return undefined;
  }
}

function writeCompiled(cacheDir: string, file: string, compiled: Compiled): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(cacheDir, { recursive: true });
    // Written whole, then renamed: a reader never sees half a file.
    writeFileSync(temp, JSON.stringify(compiled));
    renameSync(temp, file);
  } catch {
    // Not writable here (a read-only image, a folder that is a file): only the fast path is lost.
    try {
      rmSync(temp, { force: true });
    } catch {}
  }
}
