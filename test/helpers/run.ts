/**
 * Runs a project entry point as a child process, the way a user or a script would, but isolated
 * from the developer's machine: a clean environment (no inherited platform tokens or
 * DATABASE_URL), a working directory without a .env (dotenv reads it from there), and an SQLite
 * file of its own, never the repo's var/skilltree.db.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { pathToFileURL } from "node:url";
import { PROJECT_ROOT } from "../../src/paths.js";

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The tsx loader by absolute URL: the child's working directory is not the project. */
export const TSX_LOADER = pathToFileURL(join(PROJECT_ROOT, "node_modules/tsx/dist/loader.mjs")).href;

let scratch: string | undefined;
/** One temporary folder per test worker: the children's working directory and SQLite files. */
export function scratchDir(): string {
  if (!scratch) {
    const dir = mkdtempSync(join(tmpdir(), "skilltree-child-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    scratch = dir;
  }
  return scratch;
}

/** What a child may see of this process's environment: enough to run, nothing to configure. */
export function isolatedEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const dir = join(scratchDir(), `run-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir, { recursive: true });
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    SKILLTREE_SQLITE_PATH: join(dir, "skilltree.db"),
    ...env,
  };
}

/** Absolute path of a project file, for a child whose working directory is elsewhere. */
export const projectPath = (file: string) => (isAbsolute(file) ? file : join(PROJECT_ROOT, file));

export function runScript(
  script: string,
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; preload?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const preload = options.preload ? ["--import", pathToFileURL(projectPath(options.preload)).href] : [];
    const child = spawn(
      process.execPath,
      [...preload, "--import", TSX_LOADER, projectPath(script), ...args],
      {
        cwd: scratchDir(),
        env: isolatedEnv(options.env),
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

export const ask = (args: string[], env?: NodeJS.ProcessEnv) =>
  runScript("adapters/console/ask.ts", args, { env });
