/**
 * The core never imports an adapter or a platform library (architecture.md). Imports are read
 * with the TypeScript parser, not a pattern, so every form counts: `import "x"`, `import … from`,
 * `export … from`, `require("x")`, `import x = require("x")` and `import()` with a string or a
 * template literal; a dynamic import of a computed path cannot be checked, so it is refused.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../src/paths.js";

interface ImportRef {
  /** The module specifier, or undefined for a dynamic import of a computed path. */
  spec: string | undefined;
  /** Loaded at start (import, export from, require) or only when reached (import()). */
  how: "static" | "dynamic";
  /** `import type` / `export type`: erased by the compiler, loads nothing. */
  typeOnly: boolean;
  line: number;
}

/** Every module reference in a source text. */
function importsOf(source: string, fileName = "file.ts"): ImportRef[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const refs: ImportRef[] = [];
  const line = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  const literal = (node: ts.Node | undefined) =>
    node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      refs.push({
        spec: literal(node.moduleSpecifier),
        how: "static",
        typeOnly: node.importClause?.isTypeOnly === true,
        line: line(node),
      });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      refs.push({
        spec: literal(node.moduleSpecifier),
        how: "static",
        typeOnly: node.isTypeOnly,
        line: line(node),
      });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      refs.push({
        spec: literal(node.moduleReference.expression),
        how: "static",
        typeOnly: node.isTypeOnly,
        line: line(node),
      });
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword) {
        refs.push({ spec: literal(node.arguments[0]), how: "dynamic", typeOnly: false, line: line(node) });
      } else if (ts.isIdentifier(callee) && callee.text === "require") {
        refs.push({ spec: literal(node.arguments[0]), how: "static", typeOnly: false, line: line(node) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return refs;
}

const PLATFORM = [/^discord\.js(?:\/|$)/, /^discord-api-types(?:\/|$)/, /^@discordjs\//, /^@slack\//];
const ADAPTER = /(?:^|\/)adapters\//;

/**
 * What is wrong with a file's imports. The core may import neither adapters nor platform
 * libraries, in any form. The composition root may load adapters, lazily only (a type-only
 * import loads nothing), and never a platform library: the adapters load those.
 */
function boundaryProblems(source: string, role: "core" | "composition-root"): string[] {
  const problems: string[] = [];
  for (const ref of importsOf(source)) {
    const at = `line ${ref.line}`;
    if (ref.spec === undefined) {
      problems.push(`${at}: ${ref.how} import of a computed path, which cannot be checked`);
      continue;
    }
    const platform = PLATFORM.some((p) => p.test(ref.spec as string));
    const adapter = ADAPTER.test(ref.spec);
    if (platform) problems.push(`${at}: imports the platform library ${ref.spec}`);
    else if (adapter && role === "core") problems.push(`${at}: imports the adapter ${ref.spec}`);
    else if (adapter && ref.how === "static" && !ref.typeOnly)
      problems.push(`${at}: imports the adapter ${ref.spec} at start; load it with await import()`);
  }
  return problems;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** The composition root is the one place allowed to load adapters, and it does so lazily. */
const COMPOSITION_ROOT = "src/main.ts";

describe("import boundary", () => {
  it("keeps src/ free of adapters and platform libraries, and main.ts lazy", () => {
    const offenders: string[] = [];
    const files = sourceFiles(join(PROJECT_ROOT, "src"));
    expect(files.length).toBeGreaterThan(10);
    expect(files.map((f) => relative(PROJECT_ROOT, f))).toContain(COMPOSITION_ROOT);
    for (const file of files) {
      const name = relative(PROJECT_ROOT, file);
      const role = name === COMPOSITION_ROOT ? "composition-root" : "core";
      for (const problem of boundaryProblems(readFileSync(file, "utf8"), role))
        offenders.push(`${name} ${problem}`);
    }
    expect(offenders).toEqual([]);
  });

  it("sees that the composition root does load the platform adapters, lazily", () => {
    const refs = importsOf(readFileSync(join(PROJECT_ROOT, COMPOSITION_ROOT), "utf8"));
    const lazy = refs.filter((r) => r.how === "dynamic").map((r) => r.spec);
    expect(lazy).toContain("../adapters/discord/index.js");
    expect(lazy).toContain("../adapters/slack/index.js");
  });
});

describe("the import checker itself", () => {
  const FORMS: [string, string][] = [
    ["side-effect import", 'import "discord.js";'],
    ["named import", 'import { Client } from "discord.js";'],
    ["default import", 'import bolt from "@slack/bolt";'],
    ["namespace import", 'import * as djs from "@discordjs/rest";'],
    ["re-export", 'export { App } from "@slack/bolt";'],
    ["export all", 'export * from "discord.js";'],
    ["require", 'const { Client } = require("discord.js");'],
    ["import equals require", 'import djs = require("discord.js");'],
    ["dynamic import", 'const m = await import("discord.js");'],
    ["template-literal dynamic import", "const m = await import(`discord.js`);"],
    ["computed dynamic import", `const m = await import(\`../adapters/\${name}/index.js\`);`],
    ["type-only import in the core", 'import type { Client } from "discord.js";'],
    ["adapter import", 'import { renderText } from "../adapters/console/render.js";'],
    ["lazy adapter import in the core", 'const a = await import("../adapters/console/render.js");'],
  ];

  it.each(FORMS)("catches a %s in the core", (_form, source) => {
    expect(boundaryProblems(source, "core")).toHaveLength(1);
  });

  it("holds the composition root to lazy adapter imports and no platform library", () => {
    const allowed = [
      'import type { PlatformAdapter } from "../adapters/types.js";',
      'const { createDiscordAdapter } = await import("../adapters/discord/index.js");',
      "const { runRepl } = await import(`../adapters/console/repl.js`);",
      'import { Skilltree } from "./core.js";',
    ];
    for (const source of allowed) expect(boundaryProblems(source, "composition-root"), source).toEqual([]);
    const refused = [
      'import { createDiscordAdapter } from "../adapters/discord/index.js";',
      'import "../adapters/slack/index.js";',
      'export { runRepl } from "../adapters/console/repl.js";',
      'const slack = require("../adapters/slack/index.js");',
      'import { Client } from "discord.js";',
      'import "@slack/bolt";',
      'const djs = await import("discord.js");',
      `const a = await import(\`../adapters/\${name}/index.js\`);`,
    ];
    for (const source of refused)
      expect(boundaryProblems(source, "composition-root"), source).toHaveLength(1);
  });

  it("reads imports, not text that looks like them", () => {
    const source = [
      '// import "discord.js";',
      'const text = "import { Client } from \\"discord.js\\"";',
      "/* require('@slack/bolt') */",
    ].join("\n");
    expect(importsOf(source)).toEqual([]);
  });
});
