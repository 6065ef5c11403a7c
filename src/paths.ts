/** Where the project's own files are, whether running from src/ (tsx) or dist/ (compiled). */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "data"))) return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`cannot find the project root (package.json and data/) above ${start}`);
    dir = parent;
  }
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const DEFAULT_DATA_DIR = join(PROJECT_ROOT, "data");
/** Where the SQLite store lives unless SKILLTREE_SQLITE_PATH says otherwise. */
export const DEFAULT_SQLITE_PATH = join(PROJECT_ROOT, "var", "skilltree.db");

/** Caches the bot can rebuild (the compiled taxonomy, the console's code cache): beside the SQLite file. */
export function cacheDirBeside(sqlitePath: string): string {
  return join(dirname(sqlitePath), "cache");
}
