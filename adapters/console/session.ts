/** Builds the core for the console: config, then the taxonomy, then the answering core. */
import { readConfig } from "../../src/config.js";
import { Skilltree } from "../../src/core.js";
import { loadTaxonomy } from "../../src/taxonomy/load.js";

export function createCore(env: NodeJS.ProcessEnv = process.env): Skilltree {
  const config = readConfig(env);
  const taxonomy = loadTaxonomy(config.dataDir);
  return new Skilltree(taxonomy, {
    defaultLocale: config.defaultLocale,
    onError: (error) =>
      console.error(`skilltree: internal error: ${error instanceof Error ? error.message : error}`),
  });
}
