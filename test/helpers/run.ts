/** Runs a project entry point as a child process, the way a user or a script would. */
import { spawn } from "node:child_process";
import { PROJECT_ROOT } from "../../src/paths.js";

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runScript(
  script: string,
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; preload?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const preload = options.preload ? ["--import", options.preload] : [];
    const child = spawn(process.execPath, [...preload, "--import", "tsx", script, ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
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
