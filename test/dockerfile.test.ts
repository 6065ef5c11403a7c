/** The Dockerfile's properties (no Docker engine runs here; test-image/ runs its layout). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../src/paths.js";

const dockerfile = readFileSync(join(PROJECT_ROOT, "Dockerfile"), "utf8");
/** Instructions with line continuations joined and comments dropped. */
const lines = dockerfile
  .replace(/\\\n\s*/g, " ")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l !== "" && !l.startsWith("#"));
const stages = lines.reduce<string[][]>((acc, line) => {
  if (/^FROM\s/i.test(line)) acc.push([line]);
  else acc.at(-1)?.push(line);
  return acc;
}, []);
const runtime = stages.at(-1) ?? [];

describe("Dockerfile", () => {
  it("is multi-stage, and the runtime stage is a current LTS Node slim image", () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const nodeVersion = /ARG NODE_VERSION=(\d+)/.exec(dockerfile)?.[1];
    expect(Number(nodeVersion) % 2, "an even (LTS) major").toBe(0);
    expect(Number(nodeVersion)).toBeGreaterThanOrEqual(22);
    expect(runtime[0]).toMatch(/^FROM node:\$\{NODE_VERSION\}-\S*slim AS runtime$/);
  });

  it("installs production dependencies only for the runtime, and compiles before", () => {
    expect(lines.some((l) => /npm ci --omit=dev/.test(l))).toBe(true);
    expect(lines.some((l) => /npm run build/.test(l))).toBe(true);
    const runtimeText = runtime.join("\n");
    expect(runtimeText).not.toMatch(/npm (ci|install)(?!.*--omit=dev)/);
    expect(runtimeText).not.toMatch(/tsx|typescript|vitest|biome/);
    expect(runtimeText).toMatch(/COPY --from=\w+ \/app\/node_modules/);
    expect(runtimeText).toMatch(/COPY --from=build \/app\/dist/);
  });

  it("runs as a non-root user, with a health check, a volume for SQLite, and node as the signalled process", () => {
    expect(runtime.some((l) => /^USER (?!root\b)\w+/.test(l))).toBe(true);
    expect(runtime.find((l) => l.startsWith("HEALTHCHECK"))).toMatch(/\/healthz/);
    const volume = runtime.find((l) => l.startsWith("VOLUME"));
    const sqlitePath = /SKILLTREE_SQLITE_PATH=(\S+)/.exec(runtime.join(" "))?.[1] ?? "";
    expect(volume).toBeDefined();
    expect(sqlitePath.startsWith(JSON.parse(volume?.slice("VOLUME".length) ?? "[]")[0])).toBe(true);
    // Exec form, node directly: no shell or npm in between to swallow SIGTERM.
    expect(runtime.find((l) => l.startsWith("CMD"))).toBe('CMD ["node", "dist/src/main.js"]');
  });

  it("has a .dockerignore that keeps secrets, databases and build output out", () => {
    const ignore = readFileSync(join(PROJECT_ROOT, ".dockerignore"), "utf8").split("\n");
    for (const entry of ["node_modules", ".env", "var", "dist", "*.db"]) expect(ignore).toContain(entry);
  });
});
