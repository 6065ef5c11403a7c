/** Runs test/fixtures/durability-writer.ts as child processes (see that file for its modes). */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { PROJECT_ROOT } from "../../src/paths.js";

const SCRIPT = "test/fixtures/durability-writer.ts";

function writer(
  target: string,
  mode: "loop" | "grid" | "spread",
  label: string,
): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ["--import", "tsx", SCRIPT, target, mode, label], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["pipe", "pipe", "pipe"],
  });
}

function exited(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
    } else child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}

/**
 * Starts a loop writer, kills it with SIGKILL once it has confirmed `confirmations` writes, and
 * returns the indexes it confirmed (every one printed only after its write resolved).
 */
export async function killWriterAfter(
  target: string,
  label: string,
  confirmations: number,
): Promise<number[]> {
  const child = writer(target, "loop", label);
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  const confirmed: number[] = [];
  const lines = createInterface({ input: child.stdout });
  const drained = new Promise<void>((resolve) => lines.once("close", () => resolve()));
  const done = new Promise<void>((resolve, reject) => {
    lines.on("line", (line) => {
      const match = /^ok (\d+)$/.exec(line);
      if (!match) return;
      confirmed.push(Number(match[1]));
      if (confirmed.length === confirmations) {
        child.kill("SIGKILL");
        resolve();
      }
    });
    child.once("exit", (code) => {
      if (confirmed.length < confirmations) reject(new Error(`writer exited (${code}) early: ${stderr}`));
    });
  });
  await done;
  const { signal } = await exited(child);
  if (signal !== "SIGKILL") throw new Error(`writer was not killed: ${signal}`);
  // Lines already in the pipe when it died were confirmed too.
  await drained;
  return confirmed;
}

/**
 * Starts one grid writer per label on the same target, lets them all write at the same moment,
 * and returns every "<member> <tool> <outcome>" line they printed.
 */
export async function gridWriters(target: string, labels: string[]): Promise<string[]> {
  return startTogether(target, "grid", labels);
}

/** Starts one spread writer per label on the same target, all writing at the same moment. */
export async function spreadWriters(target: string, labels: string[]): Promise<string[]> {
  return startTogether(target, "spread", labels);
}

async function startTogether(target: string, mode: "grid" | "spread", labels: string[]): Promise<string[]> {
  const children = labels.map((label) => writer(target, mode, label));
  const outputs = children.map((child) => {
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on("data", () => {
        if (stdout.startsWith("ready\n")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`writer exited (${code}) before ready: ${stderr}`)));
    });
    const finished = exited(child).then(({ code }) => {
      if (code !== 0) throw new Error(`writer failed (${code}): ${stderr}`);
      return stdout;
    });
    ready.catch(() => {});
    finished.catch(() => {});
    return { ready, finished };
  });
  await Promise.all(outputs.map((o) => o.ready));
  for (const child of children) child.stdin.end("go\n");
  const texts = await Promise.all(outputs.map((o) => o.finished));
  return texts.flatMap((t) => t.split("\n").filter((line) => line && line !== "ready"));
}
