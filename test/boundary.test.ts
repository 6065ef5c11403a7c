/** The core never imports an adapter or a platform library (architecture.md). */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../src/paths.js";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

const IMPORT = /(?:import|export)\s[^"']*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
const FORBIDDEN = [/^discord\.js/, /^@discordjs\//, /^@slack\//, /adapters\//];
/** The composition root is the one place allowed to load adapters, and it does so lazily. */
const COMPOSITION_ROOT = "src/main.ts";

describe("import boundary", () => {
  it("keeps src/ free of adapters and platform libraries", () => {
    const offenders: string[] = [];
    const files = sourceFiles(join(PROJECT_ROOT, "src"));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const name = relative(PROJECT_ROOT, file);
      if (name === COMPOSITION_ROOT) continue;
      for (const match of readFileSync(file, "utf8").matchAll(IMPORT)) {
        const spec = match[1] ?? match[2] ?? "";
        if (FORBIDDEN.some((f) => f.test(spec))) offenders.push(`${name} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("lets the composition root load adapters only lazily", () => {
    const main = readFileSync(join(PROJECT_ROOT, COMPOSITION_ROOT), "utf8");
    // Type-only imports are erased at compile time and load nothing.
    expect(main).not.toMatch(/^import (?!type )[^(\n]*from\s*["'][^"'\n]*adapters\//m);
    expect(main).toMatch(/await import\("\.\.\/adapters\/discord\/index\.js"\)/);
  });

  it("detects a forbidden import (the check itself works)", () => {
    const sample =
      'import { Client } from "discord.js";\nconst x = await import("../adapters/slack/app.js");';
    const specs = [...sample.matchAll(IMPORT)].map((m) => m[1] ?? m[2]);
    expect(specs).toEqual(["discord.js", "../adapters/slack/app.js"]);
  });
});
