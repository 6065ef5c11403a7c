/** One loaded taxonomy and core for all tests in a worker: loading is the slow part. */
import { Skilltree } from "../../src/core.js";
import { DEFAULT_DATA_DIR } from "../../src/paths.js";
import { loadTaxonomy } from "../../src/taxonomy/load.js";
import type { Taxonomy } from "../../src/taxonomy/model.js";

let cached: Skilltree | undefined;

export function core(): Skilltree {
  cached ??= new Skilltree(loadTaxonomy(DEFAULT_DATA_DIR), { defaultLocale: "en" });
  return cached;
}

export function taxonomy(): Taxonomy {
  return core().taxonomy;
}
