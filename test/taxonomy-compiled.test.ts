/** The compiled taxonomy: a fast start that never skips the validation of changed data. */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR } from "../src/paths.js";
import { loadTaxonomyFast } from "../src/taxonomy/compiled.js";
import { DataError } from "../src/taxonomy/errors.js";
import { loadTaxonomy } from "../src/taxonomy/load.js";

function copyOfData(): { dataDir: string; cacheDir: string } {
  const root = mkdtempSync(join(tmpdir(), "skilltree-compiled-"));
  const dataDir = join(root, "data");
  cpSync(DEFAULT_DATA_DIR, dataDir, { recursive: true });
  return { dataDir, cacheDir: join(root, "cache") };
}

describe("loadTaxonomyFast", () => {
  it("builds the same taxonomy as the full load, and keeps it for the next start", async () => {
    const { dataDir, cacheDir } = copyOfData();
    const full = loadTaxonomy(dataDir);
    const first = await loadTaxonomyFast(dataDir, cacheDir);
    const cached = readdirSync(cacheDir);
    expect(cached).toHaveLength(1);
    const second = await loadTaxonomyFast(dataDir, cacheDir);
    for (const taxonomy of [first, second]) {
      expect([...taxonomy.tools.keys()]).toEqual([...full.tools.keys()]);
      expect(taxonomy.areas.map((a) => a.id)).toEqual(full.areas.map((a) => a.id));
      expect(taxonomy.tool("calico")).toEqual(full.tool("calico"));
    }
  });

  it("reads the kept file when the data has not changed", async () => {
    const { dataDir, cacheDir } = copyOfData();
    await loadTaxonomyFast(dataDir, cacheDir);
    const [name] = readdirSync(cacheDir);
    const file = join(cacheDir, name ?? "");
    const kept = JSON.parse(readFileSync(file, "utf8"));
    kept.areas[0].name.en = "Read from the compiled file";
    writeFileSync(file, JSON.stringify(kept));
    const taxonomy = await loadTaxonomyFast(dataDir, cacheDir);
    expect(taxonomy.areas.some((a) => a.name.en === "Read from the compiled file")).toBe(true);
  });

  it("validates changed data in full: a broken edit still stops start-up", async () => {
    const { dataDir, cacheDir } = copyOfData();
    await loadTaxonomyFast(dataDir, cacheDir);
    const file = join(dataDir, "areas", "networking.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("https://github.com/projectcalico/calico", "http://x"),
    );
    await expect(loadTaxonomyFast(dataDir, cacheDir)).rejects.toBeInstanceOf(DataError);
    await expect(loadTaxonomyFast(dataDir, cacheDir)).rejects.toThrow(/networking\.yaml.*calico/);
  });

  it("falls back to the full load when the kept file is damaged or cannot be written", async () => {
    const { dataDir, cacheDir } = copyOfData();
    await loadTaxonomyFast(dataDir, cacheDir);
    const [name] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, name ?? ""), "{ not json");
    expect((await loadTaxonomyFast(dataDir, cacheDir)).tools.size).toBe(100);
    // A cache folder that is a file: nothing can be written there, and the load still works.
    const blocked = join(cacheDir, name ?? "");
    expect((await loadTaxonomyFast(dataDir, join(blocked, "sub"))).tools.size).toBe(100);
  });
});
