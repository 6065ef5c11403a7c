/**
 * `npm run validate:data`: checks every data file, the rules across them (as start-up does) and
 * the content rules (key points, tags in both languages) that start-up does not insist on.
 */

import { DEFAULT_DATA_DIR } from "../src/paths.js";
import { DataError, loadTaxonomy } from "../src/taxonomy/load.js";

const dataDir = process.argv[2] ?? DEFAULT_DATA_DIR;
try {
  const taxonomy = loadTaxonomy(dataDir, { editorial: true });
  const counts = taxonomy.areas.map((a) => `${a.id} ${a.toolIds.length}`).join(", ");
  console.log(
    `data ok: ${taxonomy.areas.length} areas, ${taxonomy.tools.size} tools, ${taxonomy.mentions.size} mentions (${counts})`,
  );
} catch (error) {
  if (error instanceof DataError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
