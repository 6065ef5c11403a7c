/**
 * The benchmark's generated taxonomy (bench/generate-taxonomy.ts) is the same for the same seed
 * and passes the same checks as data/: the zod schema and the rules across files.
 */
import { describe, expect, it } from "vitest";
import { generateAreaFiles, generateTaxonomy, mulberry32 } from "../bench/generate-taxonomy.js";
import { ambiguousFileSchema, areaFileSchema } from "../src/taxonomy/schema.js";
import { crossRecordProblems } from "../src/taxonomy/validate.js";

describe("generated taxonomy", () => {
  const generated = generateAreaFiles({ tools: 1500, seed: 42 });

  it("is the same for the same seed, and differs for another", () => {
    expect(generateAreaFiles({ tools: 1500, seed: 42 })).toEqual(generated);
    expect(generateAreaFiles({ tools: 1500, seed: 43 })).not.toEqual(generated);
    expect(Array.from({ length: 3 }, mulberry32(1))).toEqual(Array.from({ length: 3 }, mulberry32(1)));
  });

  it("has the tools asked for, and passes the data checks", () => {
    expect(generated.files.flatMap((f) => f.tools)).toHaveLength(1500);
    for (const file of generated.files) expect(areaFileSchema.safeParse(file).success, file.id).toBe(true);
    expect(ambiguousFileSchema.safeParse(generated.ambiguous).success).toBe(true);
    const files = generated.files.map((data) => ({ file: `${data.id}.yaml`, data }));
    expect(crossRecordProblems(files, generated.ambiguous, "ambiguous.yaml")).toEqual([]);
  });

  it("makes a taxonomy with names like real projects, in both languages", () => {
    const taxonomy = generateTaxonomy({ tools: 300, seed: 7 });
    const tools = [...taxonomy.tools.values()];
    expect(tools).toHaveLength(300);
    expect(tools.some((t) => /^kube/i.test(t.name))).toBe(true);
    expect(tools.some((t) => t.aliases.some((a) => a.includes("/")))).toBe(true);
    expect(
      tools.every((t) => /[\u4e00-\u9fff]/.test(t.summary.zh) && /[\u4e00-\u9fff]/.test(t.description.zh)),
    ).toBe(true);
  });
});
