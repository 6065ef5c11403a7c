/**
 * The console end to end, as child processes: one-shot text and JSON, the prompt, failures.
 * Each child is isolated (helpers/run.ts): no inherited tokens, no .env, its own SQLite file.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Answer } from "../src/answer.js";
import { ask, isolatedEnv, projectPath, runScript, scratchDir, TSX_LOADER } from "./helpers/run.js";

const json = async (line: string, ...flags: string[]): Promise<Answer> => {
  const result = await ask(["--json", ...flags, line]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Answer;
};

// Nine child processes at once on two cores: give each the time a busy machine needs.
describe.concurrent("npm run ask", { timeout: 60_000 }, () => {
  it("answers a tool card as text", async () => {
    const { code, stdout, stderr } = await ask(["/tool calico"]);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^Calico\n/);
    expect(stdout).toContain("https://github.com/projectcalico/calico");
    expect(stdout).not.toContain("\u001b["); // no colour when not a terminal
  });

  it("prints the stable JSON shape for a tool", async () => {
    const answer = await json("/tool rkt");
    expect(answer).toMatchObject({
      kind: "tool",
      locale: "en",
      title: "rkt",
      tool: { id: "rkt", category: "engines", status: "archived", statusYear: 2019 },
    });
    expect(answer.tool?.successor).toMatch(/containerd/);
  });

  it("prints a category with its tool ids, mentions apart", async () => {
    const answer = await json("/skilltree networking");
    expect(answer.kind).toBe("category");
    expect(answer.category).toMatchObject({ id: "networking", name: "Container networking" });
    expect(answer.category?.tools).toHaveLength(8);
    expect(answer.category?.tools).not.toContain("macvlan");
    expect(answer.category?.mentions).toContain("macvlan");
  });

  it("answers not_found with candidates and exit 0", async () => {
    const unknown = await json("/tool zzqqxx");
    expect(unknown.kind).toBe("not_found");
    expect(Array.isArray(unknown.candidates)).toBe(true);
  });

  it("answers in Chinese with --locale zh-CN, and for Chinese questions", async () => {
    const forced = await json("/tool rkt", "--locale", "zh-CN");
    expect(forced.locale).toBe("zh-CN");
    expect(JSON.stringify(forced.blocks)).toMatch(/已归档/);
    const inferred = await json("/skilltree 网络");
    expect(inferred).toMatchObject({ kind: "category", locale: "zh-CN", category: { id: "networking" } });
  });

  it("lists candidates for an ambiguous name", async () => {
    const answer = await json("/tool photon");
    expect(answer.kind).toBe("disambiguation");
    expect(answer.candidates?.map((c) => c.id).sort()).toEqual(["photon", "photon-os"]);
    expect(answer.candidates?.[0]).toHaveProperty("type", "tool");
  });

  it("exits 2 on bad usage of the command line", async () => {
    for (const args of [[], ["--locale", "fr", "/tool calico"], ["--bogus", "/tool calico"]]) {
      const result = await ask(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/Usage: npm run ask/);
    }
  });

  it("stops with the file, entry and field when the data is broken", async () => {
    const dir = mkdtempSync(join(tmpdir(), "skilltree-broken-"));
    try {
      writeFileSync(join(dir, "ambiguous.yaml"), "[]\n");
      const areas = join(dir, "areas");
      await import("node:fs").then((fs) => fs.mkdirSync(areas));
      writeFileSync(join(areas, "x.yaml"), "id: x\norder: 1\nname: { en: X, zh: 某 }\ncolor: red\n");
      const result = await ask(["/tool calico"], { SKILLTREE_DATA_DIR: dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/x\.yaml: color: must be a #rrggbb colour/);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names a bad variable without printing its value", async () => {
    const result = await ask(["/tool calico"], { SKILLTREE_LOCALE: "klingon-secret" });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/SKILLTREE_LOCALE: expected one of en, zh-CN/);
    expect(result.stderr).not.toContain("klingon-secret");
  });
});

const NO_PLATFORM_NOTE =
  "skilltree: no chat platform is configured (see .env.example); answering standard input on the console";

describe("npm start (the prompt)", () => {
  it("answers piped lines in turn and exits at the end of input", async () => {
    const { code, stdout, stderr } = await runScript("src/main.ts", [], {
      input: "/tool k8s\n\n/search 日志收集\n/nope\n",
    });
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^Kubernetes\n/m);
    expect(stdout).toMatch(/^搜索：“日志收集”/m);
    expect(stdout).toMatch(/There is no command “\/nope”/);
    // Without a terminal (`docker run` without -it) the log says why it is a console.
    expect(stderr.trim()).toBe(NO_PLATFORM_NOTE);
  });

  it("says nothing about platforms when SKILLTREE_ADAPTERS=console chose it", async () => {
    const { code, stdout, stderr } = await runScript("src/main.ts", [], {
      input: "/tool k8s\n",
      env: { SKILLTREE_ADAPTERS: "console" },
    });
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^Kubernetes\n/m);
    expect(stderr).toBe("");
  });

  it("does not refuse the server's variables it never uses", async () => {
    const { code, stdout, stderr } = await runScript("src/main.ts", [], {
      input: "/tool k8s\n",
      env: { PORT: "not-a-port", HOST: "", LOG_LEVEL: "loud" },
    });
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^Kubernetes\n/m);
  });

  it("closes the store and exits 0 on SIGTERM", async () => {
    const env = isolatedEnv({ SKILLTREE_CONSOLE_MEMBER: "alice" });
    const db = env.SKILLTREE_SQLITE_PATH ?? "";
    const child = spawn(process.execPath, ["--import", TSX_LOADER, projectPath("src/main.ts")], {
      cwd: scratchDir(),
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const answered = new Promise<void>((resolve) => {
      child.stdout.setEncoding("utf8").on("data", (d: string) => {
        stdout += d;
        if (/Recorded/.test(stdout)) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    // stdin stays open: the console is waiting for the next line when the signal comes.
    child.stdin.write("/recommend calico trial\n");
    await answered;
    expect(existsSync(`${db}-wal`), "the store is open").toBe(true);
    child.kill("SIGTERM");
    expect(await exited, stderr).toBe(0);
    // The last connection's close checkpoints the WAL into the file and removes it.
    expect(existsSync(`${db}-wal`)).toBe(false);
    const card = await ask(["--json", "/tool calico"], { SKILLTREE_SQLITE_PATH: db });
    expect(JSON.parse(card.stdout)).toMatchObject({ recommendations: { total: 1 } });
  });
});

describe("recommendations on the console", () => {
  it("records, shows on the card, ranks, and survives a restart (each ask is a new process)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "skilltree-console-"));
    const env = { SKILLTREE_SQLITE_PATH: join(dir, "st.db"), SKILLTREE_CONSOLE_MEMBER: "alice" };
    try {
      const recorded = await ask(["--json", "/recommend calico trial fast and boring, in a good way"], env);
      expect(recorded.code, recorded.stderr).toBe(0);
      expect(JSON.parse(recorded.stdout)).toMatchObject({
        kind: "recommend",
        recorded: { tool: "calico", stance: "trial", outcome: "created" },
      });
      await ask(["/recommend weave hold archived"], { ...env, SKILLTREE_CONSOLE_MEMBER: "bob" });
      const card = JSON.parse((await ask(["--json", "/tool calico"], env)).stdout) as Answer;
      expect(card.recommendations).toMatchObject({ total: 1, stances: { trial: 1 } });
      expect(card.recommendations?.latest[0]).toMatchObject({
        member: "alice",
        reason: "fast and boring, in a good way",
      });
      const text = await ask(["/radar"], env);
      expect(text.stdout).toMatch(/trial: tried it, worth it[\s\S]*Calico/);
      expect(text.stdout).toMatch(/hold: avoid[\s\S]*Weave Net/);
      const removed = await ask(["--json", "/recommend calico remove"], env);
      expect(JSON.parse(removed.stdout).recorded).toMatchObject({ stance: "removed" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("updates, refuses, rate-limits, ranks, and lets a moderator remove, through the prompt", async () => {
    const dir = mkdtempSync(join(tmpdir(), "skilltree-console-"));
    const db = join(dir, "st.db");
    const session = (member: string, lines: string[], env: NodeJS.ProcessEnv = {}) =>
      runScript("src/main.ts", [], {
        input: `${lines.join("\n")}\n`,
        env: {
          SKILLTREE_ADAPTERS: "console",
          SKILLTREE_SQLITE_PATH: db,
          SKILLTREE_CONSOLE_MEMBER: member,
          ...env,
        },
      });
    try {
      const bob = await session(
        "bob",
        [
          "/recommend calico adopt runs prod",
          "/recommend calico trial second thoughts",
          "/recommend nosuchtool adopt",
          `/recommend calico hold ${"x".repeat(281)}`,
          "/recommend weave hold",
          "/recommend flannel assess",
          "/recommend canal adopt",
          "/recommend romana adopt",
          "/top networking",
          "/radar",
          "/skilltree networking",
          "/skilltree",
        ],
        { SKILLTREE_RATE_LIMIT: "5" },
      );
      expect(bob.code, bob.stderr).toBe(0);
      const out = bob.stdout;
      expect(out).toMatch(/Recorded: you recommend Calico/);
      expect(out).toMatch(/Updated: your recommendation of Calico/);
      expect(out).toMatch(/Nothing called “nosuchtool”[\s\S]*Nothing was recorded/);
      expect(out).toMatch(/at most 280 characters/);
      // Five changes a minute: the sixth (Romana) is refused and says when to retry.
      expect(out).toMatch(/Recorded: you recommend Canal/);
      expect(out).toMatch(/changing recommendations too fast\. Try again in \d+ seconds/);
      expect(out).not.toMatch(/Recorded: you recommend Romana/);
      expect(out).toMatch(/Most recommended in Container networking, this channel/);
      expect(out).toMatch(/Technology radar of this channel[\s\S]*Calico \[active\] ★ 1 — 1 member: 1 trial/);
      expect(out).toMatch(/Weave Net \[archived 2024\] ★ 1/);
      expect(out).toMatch(/Container networking — 8 tools, \d+ still alive · favourite here: /);

      const carol = await session("carol", ["/recommend weave remove bob"]);
      expect(carol.stdout).toMatch(/Only moderators can remove someone else's recommendation/);

      const alice = await session("alice", ["/recommend calico remove bob", "/tool calico"], {
        SKILLTREE_MODERATORS: "alice",
      });
      expect(alice.stdout).toMatch(/Removed bob's recommendation of Calico/);
      expect(alice.stdout).toMatch(/No one in this channel has recommended it yet/);
      const weave = JSON.parse((await ask(["--json", "/tool weave"], { SKILLTREE_SQLITE_PATH: db })).stdout);
      expect(weave.recommendations).toMatchObject({ total: 1, stances: { hold: 1 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("keeps lookups working when PostgreSQL is unreachable", async () => {
    const env = { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" };
    const lookup = await ask(["--json", "/tool calico"], env);
    expect(lookup.code).toBe(0);
    expect(JSON.parse(lookup.stdout)).toMatchObject({
      kind: "tool",
      footer: expect.stringMatching(/unavailable/),
    });
    const rec = await ask(["--json", "/recommend calico"], env);
    expect(JSON.parse(rec.stdout)).toMatchObject({ kind: "error", error: { code: "unavailable" } });
    expect(rec.stderr).not.toMatch(/\n\s+at /);
  });
});
