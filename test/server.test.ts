/**
 * `npm start` in server mode, as a child process: readiness follows the store, SIGTERM finishes
 * work in flight and exits 0 (also during start-up, and with nobody reading stdout), errors
 * nobody caught are logged without secrets, and the taxonomy reloads on SIGHUP (a broken edit
 * keeps the last good data).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR } from "../src/paths.js";
import { interact, type RunningBot, slashCommand, startBot, stopStartedBots } from "./helpers/bot.js";
import { announcePgSkip, TEST_DATABASE_URL, TestSchemas, urlWithSchema } from "./helpers/pg.js";
import { TcpProxy } from "./helpers/tcp-proxy.js";

/** The tool card's title, without the status badge the Discord renderer puts before it. */
const titleOf = (body: unknown) =>
  ((body as { data?: { embeds?: { title?: string }[] } }).data?.embeds?.[0]?.title ?? "").replace(
    /^\P{L}+/u,
    "",
  );

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readyz(
  bot: RunningBot,
): Promise<{ status: number; body: { checks?: Record<string, string> } }> {
  const res = await fetch(bot.url("/readyz"));
  return { status: res.status, body: (await res.json()) as { checks?: Record<string, string> } };
}

describe("health, metrics and reload", () => {
  let bot: RunningBot;
  let dataDir: string;
  let varDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "skilltree-data-"));
    varDir = mkdtempSync(join(tmpdir(), "skilltree-var-"));
    cpSync(DEFAULT_DATA_DIR, dataDir, { recursive: true });
    bot = await startBot({ SKILLTREE_DATA_DIR: dataDir, SKILLTREE_SQLITE_PATH: join(varDir, "st.db") });
  });

  afterAll(async () => {
    stopStartedBots();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(varDir, { recursive: true, force: true });
  });

  it("is alive, ready, and serves metrics", async () => {
    expect((await fetch(bot.url("/healthz"))).status).toBe(200);
    // Load balancers and uptime checks often probe with HEAD.
    const head = await fetch(bot.url("/healthz"), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect(await readyz(bot)).toEqual({
      status: 200,
      body: { status: "ready", checks: { taxonomy: "ok", store: "ok", discord: "ok" } },
    });
    await interact(bot, slashCommand("tool", { name: "calico" }));
    const metrics = await (await fetch(bot.url("/metrics"))).text();
    expect(metrics).toMatch(/skilltree_commands_total\{command="tool",platform="discord",outcome="ok"\} 1/);
    expect(metrics).toMatch(/skilltree_answer_duration_seconds_count\{platform="discord"\} 1/);
    expect(bot.output()).toMatch(
      /"platform":"discord","command":"tool","outcome":"ok","durationMs":[\d.]+[^\n]*"msg":"handled"/,
    );
  });

  it("reloads on SIGHUP, and keeps the last good data after a broken edit", async () => {
    const file = join(dataDir, "areas", "networking.yaml");
    expect(
      titleOf((await interact(bot, slashCommand("tool", { name: "projectcalico-reloaded" }))).body),
    ).not.toBe("Calico");
    const original = readFileSync(file, "utf8");
    writeFileSync(
      file,
      original.replace("aliases: [project calico", "aliases: [projectcalico-reloaded, project calico"),
    );
    expect(readFileSync(file, "utf8")).toContain("projectcalico-reloaded");
    bot.process.kill("SIGHUP");
    await bot.waitFor(/taxonomy reloaded/);
    expect(
      titleOf((await interact(bot, slashCommand("tool", { name: "projectcalico-reloaded" }))).body),
    ).toBe("Calico");

    writeFileSync(file, `${original}\n  - id: [broken\n`);
    bot.process.kill("SIGHUP");
    await bot.waitFor(/taxonomy reload failed; keeping the last good data/);
    expect(bot.output()).toMatch(/networking\.yaml/);
    expect(
      titleOf((await interact(bot, slashCommand("tool", { name: "projectcalico-reloaded" }))).body),
    ).toBe("Calico");
  });
});

describe("stopping, whatever the state", () => {
  afterAll(stopStartedBots);

  it("exits 0 on SIGTERM when nobody reads its stdout any more", async () => {
    const bot = await startBot();
    // `npm start | head -3`: the reader is gone. pino's exit hook used to retry the broken pipe
    // every 100 ms, forever, past the stop deadline.
    bot.process.stdout?.destroy();
    await fetch(bot.url("/healthz"));
    const started = Date.now();
    bot.process.kill("SIGTERM");
    const code = await Promise.race([bot.exited, sleep(12_000).then(() => "still running")]);
    expect(code, bot.output()).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("exits 0 on SIGTERM during start-up (here: connecting to the database)", async () => {
    // A database that accepts connections and never answers: start-up waits in store.init().
    const sockets: Socket[] = [];
    let connected!: () => void;
    const connecting = new Promise<void>((resolve) => {
      connected = resolve;
    });
    const silent = createServer((socket) => {
      sockets.push(socket);
      connected();
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    try {
      const bot = await startBot(
        { DATABASE_URL: `postgres://nobody@127.0.0.1:${port}/none` },
        { waitForListening: false },
      );
      await connecting;
      const started = Date.now();
      bot.process.kill("SIGTERM");
      expect(await bot.exited, bot.output()).toBe(0);
      expect(Date.now() - started).toBeLessThan(9_000);
      expect(bot.output()).not.toMatch(/skilltree listening/);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});

describe("errors nobody caught", () => {
  const TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.secret-token-value";
  afterAll(stopStartedBots);

  it("logs an unhandled rejection without its secrets and keeps running", async () => {
    const bot = await startBot({ DISCORD_TOKEN: TOKEN }, { preload: "./test/fixtures/fail-on-signal.mjs" });
    bot.process.kill("SIGUSR2");
    await bot.waitFor(/unhandled promise rejection/);
    expect(bot.output()).toMatch(/"err":"handler failed for \[redacted\]"/);
    expect(bot.output()).not.toContain(TOKEN);
    expect((await fetch(bot.url("/healthz"))).status).toBe(200);
    expect((await interact(bot, slashCommand("tool", { name: "calico" }))).status).toBe(200);
    bot.process.kill("SIGTERM");
    expect(await bot.exited).toBe(0);
  });

  it("logs an uncaught exception without its secrets and exits non-zero", async () => {
    const bot = await startBot(
      { DISCORD_TOKEN: TOKEN, SKILLTREE_TEST_FAIL: "throw" },
      { preload: "./test/fixtures/fail-on-signal.mjs" },
    );
    bot.process.kill("SIGUSR2");
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toMatch(/"err":"handler failed for \[redacted\]"[^\n]*uncaught exception; exiting/);
    expect(bot.output()).not.toContain(TOKEN);
  });
});

announcePgSkip("readiness and graceful stop against PostgreSQL");

describe.skipIf(!TEST_DATABASE_URL)("readiness and graceful stop against PostgreSQL", () => {
  let schemas: TestSchemas;
  let proxy: TcpProxy;
  let bot: RunningBot;

  beforeAll(async () => {
    const base = TEST_DATABASE_URL ?? "";
    schemas = new TestSchemas(base);
    const { schema } = await schemas.create();
    const target = new URL(base);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    bot = await startBot({ DATABASE_URL: urlWithSchema(base, schema, { port: proxy.port }) });
  }, 30_000);

  afterAll(async () => {
    stopStartedBots();
    await proxy?.stop();
    await schemas?.dropAll();
  });

  it("turns not ready when the store is down, and ready again when it is back", async () => {
    expect((await readyz(bot)).status).toBe(200);
    await proxy.stop();
    const down = await readyz(bot);
    expect(down).toMatchObject({ status: 503, body: { checks: { store: "failing", taxonomy: "ok" } } });
    // Lookups keep working meanwhile.
    expect(titleOf((await interact(bot, slashCommand("tool", { name: "calico" }))).body)).toBe("Calico");
    await proxy.start();
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await readyz(bot)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  }, 30_000);
});

describe.skipIf(!TEST_DATABASE_URL)("graceful stop", () => {
  let schemas: TestSchemas;
  let proxy: TcpProxy;
  let bot: RunningBot;

  beforeAll(async () => {
    const base = TEST_DATABASE_URL ?? "";
    schemas = new TestSchemas(base);
    const { schema } = await schemas.create();
    const target = new URL(base);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    bot = await startBot({ DATABASE_URL: urlWithSchema(base, schema, { port: proxy.port }) });
    expect((await readyz(bot)).status).toBe(200);
  }, 30_000);

  afterAll(async () => {
    stopStartedBots();
    await proxy?.stop();
    await schemas?.dropAll();
  });

  it("finishes a request in flight on SIGTERM, refuses new work, and exits 0", async () => {
    proxy.blackhole(); // the store now hangs: a readiness check takes its full timeout
    const sent = Date.now();
    const inFlight = fetch(bot.url("/readyz"));
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    bot.process.kill("SIGTERM");
    await bot.waitFor(/stopping: finishing work in flight/);
    // New work is turned away (or no longer accepted at all) while the old request finishes.
    const late = await fetch(bot.url("/discord/interactions"), { method: "POST", body: "{}" }).then(
      async (r) => `${r.status} ${await r.text()}`,
      () => "refused",
    );
    expect(late).toMatch(/^(503 \{"status":"stopping"\}|refused)$/);
    const answered = await inFlight;
    // It really was in flight when SIGTERM came: it took the readiness timeout (1.5 s).
    expect(Date.now() - sent).toBeGreaterThan(1000);
    expect(answered.status).toBe(503);
    expect(await answered.json()).toMatchObject({ checks: { store: "failing" } });
    expect(await bot.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(bot.output()).toMatch(/"msg":"stopped"/);
  }, 30_000);
});
