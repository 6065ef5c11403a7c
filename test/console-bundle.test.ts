/**
 * The fast one-shot console (`node dist/ask.cjs`, built by scripts/bundle-console.ts): it answers
 * as `npm run ask` does, keeps a V8 code cache beside the SQLite file, takes it on the next run,
 * and replaces a cache that is stale or corrupt instead of failing.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleConsole } from "../scripts/bundle-console.js";
import { PROJECT_ROOT } from "../src/paths.js";
import { isolatedEnv, runScript } from "./helpers/run.js";

// Inside the project: the bundle finds data/ by walking up from where it is.
const out = join(PROJECT_ROOT, "var", `test-bundle-${process.pid}`);
const scratch = mkdtempSync(join(tmpdir(), "skilltree-bundle-"));

beforeAll(async () => {
  await bundleConsole(out);
}, 60_000);

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

function ask(args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(process.execPath, [join(out, "ask.cjs"), ...args], {
    cwd: scratch,
    env,
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("node dist/ask.cjs", () => {
  it("answers, in English and Chinese, as text and as JSON, and keeps a code cache", () => {
    const env = isolatedEnv();
    const card = ask(["/tool calico"], env);
    expect(card.code, card.stderr).toBe(0);
    expect(card.stdout).toMatch(/^Calico$/m);
    const zh = ask(["--locale", "zh-CN", "/tool rkt"], env);
    expect(zh.code, zh.stderr).toBe(0);
    expect(zh.stdout).toMatch(/[\u4e00-\u9fff]/);
    const json = ask(["--json", "/tool no-such-tool"], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: "not_found" });
    const cacheDir = join(String(env.SKILLTREE_SQLITE_PATH), "..", "cache");
    expect(readdirSync(cacheDir).filter((f) => f.endsWith(".v8cache"))).toHaveLength(1);
  });

  it("says how to use it, with exit code 2, when given no command", () => {
    const result = ask([], isolatedEnv());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/give a command to answer/);
  });
});

describe("runWithCodeCache", () => {
  it("takes the cache on the next run, and replaces a corrupt one", async () => {
    const dir = mkdtempSync(join(scratch, "cache-"));
    const bundle = join(dir, "tiny.cjs");
    writeFileSync(
      bundle,
      'module.exports = 1;\nprocess.stdout.write("ran " + require("node:path").basename(__filename) + "\\n");\n',
    );
    const cacheDir = join(dir, "cache");
    const run = async () => {
      const result = await runScript("test/fixtures/code-cache-run.ts", [bundle, cacheDir]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe("ran tiny.cjs\n");
      return /CACHE_USED=(\w+)/.exec(result.stderr)?.[1];
    };
    expect(await run()).toBe("false");
    expect(await run()).toBe("true");
    const [cacheFile] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, String(cacheFile)), "not a V8 code cache");
    expect(await run()).toBe("false");
    expect(await run()).toBe("true");
    expect(readFileSync(join(cacheDir, String(cacheFile))).length).toBeGreaterThan(100);
  });

  it("still runs when the cache folder cannot be written", async () => {
    const dir = mkdtempSync(join(scratch, "blocked-"));
    const bundle = join(dir, "tiny.cjs");
    writeFileSync(bundle, 'process.stdout.write("ran\\n");\n');
    mkdirSync(join(dir, "parent"));
    writeFileSync(join(dir, "parent", "cache"), "a file where the folder would go");
    const result = await runScript("test/fixtures/code-cache-run.ts", [bundle, join(dir, "parent", "cache")]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("ran\n");
  });
});
