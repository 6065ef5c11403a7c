/**
 * Logging can never hold the process: a destination error (EPIPE) stops writing, a stuck reader
 * costs at most the flush timeout, a slow one loses lines instead of memory, and nothing hooks
 * process exit (pino's default destination retried a broken pipe forever at exit).
 */
import { spawn } from "node:child_process";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, flushLogger, LogSink } from "../src/ops/logger.js";
import { redactSecrets, secretsOf } from "../src/ops/redact.js";
import { PROJECT_ROOT } from "../src/paths.js";

/** A destination whose reader went away: every write fails with EPIPE. */
class BrokenPipe extends Writable {
  attempts = 0;
  override _write(_chunk: unknown, _enc: string, callback: (error?: Error) => void): void {
    this.attempts++;
    callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
  }
}

/** A destination whose reader never reads: nothing written ever completes. */
class StuckReader extends Writable {
  constructor() {
    super({ highWaterMark: 16 });
  }
  override _write(): void {}
}

describe("secret fields in log lines", () => {
  it("are censored at the top level and one level down, and the caller's object is left alone", async () => {
    const lines: string[] = [];
    const out = new Writable({
      write(chunk, _enc, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const logger = await createLogger({ level: "info", pretty: false, destination: out });
    const fields = {
      token: "xoxb-1",
      config: { signingSecret: "s3cret", databaseUrl: "postgres://u:p@h/db", mode: "http" },
      headers: { authorization: "Bot abc", host: "example" },
      platform: "slack",
    };
    logger.info(fields, "starting");
    logger.info({ command: "tool", outcome: "ok" }, "handled");
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({
      token: "[redacted]",
      config: { signingSecret: "[redacted]", databaseUrl: "[redacted]", mode: "http" },
      headers: { authorization: "[redacted]", host: "example" },
      platform: "slack",
      msg: "starting",
    });
    expect(lines[0]).not.toMatch(/xoxb-1|s3cret|u:p@|Bot abc/);
    expect(fields.token).toBe("xoxb-1");
    expect(fields.config.signingSecret).toBe("s3cret");
    expect(second).toMatchObject({ command: "tool", outcome: "ok", msg: "handled" });
  });
});

describe("LogSink", () => {
  it("stops writing at the first destination error, and flushes at once after it", async () => {
    const out = new BrokenPipe();
    const logger = await createLogger({ level: "info", pretty: false, destination: out });
    logger.info("one");
    await new Promise((r) => setImmediate(r));
    const after = out.attempts;
    expect(after).toBe(1);
    for (let i = 0; i < 50; i++) logger.info({ i }, "more");
    expect(out.attempts).toBe(after);
    const started = Date.now();
    await flushLogger(logger, 5_000);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("gives up flushing a stuck reader after the timeout", async () => {
    const logger = await createLogger({ level: "info", pretty: false, destination: new StuckReader() });
    logger.info("waiting forever");
    const started = Date.now();
    await flushLogger(logger, 300);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(2_000);
  });

  it("drops lines past its buffer instead of growing, and says how many once the reader catches up", () => {
    const pending: (() => void)[] = [];
    const written: string[] = [];
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk, _enc, callback) {
        written.push(String(chunk));
        pending.push(callback);
      },
    });
    /** The reader catches up: every queued write completes. */
    const catchUp = () => {
      while (pending.length > 0) pending.shift()?.();
    };
    const sink = new LogSink(slow, undefined, 100);
    for (let i = 0; i < 20; i++) sink.write(`${JSON.stringify({ i, msg: "x".repeat(20) })}\n`);
    expect(sink.droppedLines).toBeGreaterThan(10);
    const dropped = sink.droppedLines;
    catchUp();
    sink.write('{"msg":"after"}\n');
    catchUp();
    const notes = written.filter((l) => l.includes("log lines dropped"));
    expect(notes).toHaveLength(1);
    expect(JSON.parse(notes[0] ?? "{}")).toMatchObject({ dropped });
    expect(written.at(-1)).toBe('{"msg":"after"}\n');
    expect(sink.droppedLines).toBe(0);
  });

  it("lets a process exit at once when nobody reads its stdout", async () => {
    // Logs three lines to a broken stdout, then exits: with pino's default destination the
    // exit hook retried the failed write every 100 ms, forever.
    const script = `
      const { createLogger } = await import("./src/ops/logger.ts");
      const logger = await createLogger({ level: "info", pretty: false });
      process.stdin.once("data", () => {
        logger.info("a"); logger.info("b"); logger.info("c");
        process.exit(0);
      });`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: PROJECT_ROOT,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.stdout.destroy();
    child.stdin.write("go\n"); // waits in the pipe until the script listens
    const timer = setTimeout(() => child.kill("SIGKILL"), 8_000);
    const code = await exited;
    clearTimeout(timer);
    expect(code, stderr).toBe(0);
  });
});

describe("redactSecrets", () => {
  it("takes tokens and database passwords out of error texts", () => {
    const env = {
      DISCORD_TOKEN: "MTIzNDU2Nzg5.abcdef.ghijklmnop",
      DATABASE_URL: "postgres://bot:s3cr%40t-pass@db:5432/skilltree",
    };
    const text = redactSecrets(
      "login failed for MTIzNDU2Nzg5.abcdef.ghijklmnop at postgres://bot:s3cr%40t-pass@db:5432/x (s3cr@t-pass)",
      secretsOf(env),
    );
    expect(text).not.toMatch(/MTIzNDU2Nzg5|s3cr/);
    expect(text).toContain("postgres://[redacted]@db:5432/x");
  });
});
