/**
 * The Slack adapter's edges that need no server: configuration, the manifest generated from
 * COMMANDS, command names, parsing one text argument (with "hide"), and the moderator cache.
 */
import { describe, expect, it } from "vitest";
import { createBolt } from "../adapters/slack/app.js";
import { declaredCommandFor, SLACK_RESERVED, slackCommandName } from "../adapters/slack/commands.js";
import { readSlackConfig } from "../adapters/slack/config.js";
import { deliveryKey, SeenDeliveries } from "../adapters/slack/deliveries.js";
import { pagingOf, parseCommandText, placeOf, slackSyntax } from "../adapters/slack/handlers.js";
import { BOT_SCOPES, buildManifest, parseCli, usageHint } from "../adapters/slack/manifest.js";
import { ModeratorLookup, type UsersInfoClient } from "../adapters/slack/moderators.js";
import { renderAnswer } from "../adapters/slack/render.js";
import type { Answer } from "../src/answer.js";
import { COMMANDS, type CommandDeclaration } from "../src/commands/declarations.js";
import { core } from "./helpers/core.js";
import { runScript } from "./helpers/run.js";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

describe("readSlackConfig", () => {
  it("defaults to Socket Mode and Slack's own Web API", () => {
    const config = readSlackConfig({ SLACK_BOT_TOKEN: "xoxb-1-2-abc", SLACK_APP_TOKEN: "xapp-1-A1-abc" });
    expect(config).toMatchObject({
      mode: "socket",
      botToken: "xoxb-1-2-abc",
      appToken: "xapp-1-A1-abc",
      slackApiUrl: "https://slack.com/api/",
      commandPrefix: "",
      path: "/slack/events",
    });
    expect(config.ackBudgetMs).toBeLessThan(3000);
  });

  it("reads HTTP mode, a GovSlack or stand-in API base and a command prefix", () => {
    const config = readSlackConfig({
      SLACK_MODE: "HTTP",
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: "https://slack-gov.com/api",
      SLACK_COMMAND_PREFIX: "st-",
    });
    expect(config).toMatchObject({
      mode: "http",
      signingSecret: SECRET,
      slackApiUrl: "https://slack-gov.com/api/",
      commandPrefix: "st-",
    });
  });

  const bad: [string, NodeJS.ProcessEnv, RegExp][] = [
    ["no bot token", { SLACK_APP_TOKEN: "xapp-1" }, /^SLACK_BOT_TOKEN: expected the bot token/],
    [
      "a user token as the bot token",
      { SLACK_BOT_TOKEN: "xoxp-secret-value", SLACK_APP_TOKEN: "xapp-1" },
      /^SLACK_BOT_TOKEN: expected a bot token starting with xoxb-$/,
    ],
    [
      "Socket Mode without an app token",
      { SLACK_BOT_TOKEN: "xoxb-1" },
      /^SLACK_APP_TOKEN: .*SLACK_MODE=http/,
    ],
    [
      "a bot token as the app token",
      { SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xoxb-secret-value" },
      /^SLACK_APP_TOKEN: expected an app-level token/,
    ],
    [
      "HTTP mode without a signing secret",
      { SLACK_MODE: "http", SLACK_BOT_TOKEN: "xoxb-1" },
      /^SLACK_SIGNING_SECRET: /,
    ],
    [
      "an unknown mode",
      { SLACK_MODE: "webhook", SLACK_BOT_TOKEN: "xoxb-1" },
      /^SLACK_MODE: expected socket or http$/,
    ],
    [
      "a bad API URL",
      { SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1", SLACK_API_URL: "ftp://x" },
      /^SLACK_API_URL: expected an http\(s\) URL/,
    ],
    [
      "a bad prefix",
      { SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1", SLACK_COMMAND_PREFIX: "St!" },
      /^SLACK_COMMAND_PREFIX: /,
    ],
  ];
  for (const [name, env, message] of bad) {
    it(`names the variable for ${name}, never its value`, () => {
      let error: unknown;
      try {
        readSlackConfig(env);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("secret-value");
    });
  }
});

describe("slash command names", () => {
  it("renames the one command Slack reserves, and maps every name back", () => {
    expect(SLACK_RESERVED.has("search")).toBe(true);
    const names = (COMMANDS as readonly CommandDeclaration[]).map((c) => slackCommandName(c.name));
    expect(names).toEqual(["skilltree", "tool", "skilltree-search", "recommend", "top", "radar", "help"]);
    for (const c of COMMANDS) {
      expect(declaredCommandFor(`/${slackCommandName(c.name)}`)?.name).toBe(c.name);
      expect(declaredCommandFor(`/${slackCommandName(c.name, "st-")}`, "st-")?.name).toBe(c.name);
    }
    expect(slackCommandName("search", "st-")).toBe("st-search");
    expect(declaredCommandFor("/search")?.name).toBe("search");
    expect(declaredCommandFor("/nope")).toBeUndefined();
  });
});

describe("command names in answers", () => {
  const text = (answer: Answer) => JSON.stringify(answer);
  /** Command names shown to the member: "/word" not inside a longer name or a URL. */
  const named = (answer: Answer) =>
    [...text(answer).matchAll(/(?<![\w/.-])\/([a-z][a-z-]*)/g)].map((m) => m[1]);

  it("lists Slack's names in /help: /skilltree-search, and the member as the word after remove", async () => {
    const help = await core().answer({ command: "help", args: {}, syntax: slackSyntax("") });
    const names = new Set(named(help));
    expect(names).toContain("skilltree-search");
    expect(names).not.toContain("search");
    const fields = help.blocks.flatMap((b) => (b.type === "fields" ? b.fields : []));
    const recommend = fields.find((f) => f.name.startsWith("/recommend"));
    expect(recommend?.name).toBe("/recommend <tool> [stance] [reason]");
    expect(recommend?.value).toContain("/recommend <tool> remove <member> — Moderators");
    expect(fields.find((f) => f.name.startsWith("/skilltree-search"))?.value).toContain(
      "/skilltree-search overlay network",
    );
  });

  it("puts SLACK_COMMAND_PREFIX on every name in /help, footers and hints, in both languages", async () => {
    const syntax = slackSyntax("st-");
    const answers = await Promise.all([
      core().answer({ command: "help", args: {}, syntax }),
      core().answer({ command: "help", args: {}, syntax, locale: "zh-CN" }),
      core().answer({ command: "skilltree", args: {}, syntax }),
      core().answer({ command: "skilltree", args: {}, syntax, locale: "zh-CN" }),
      core().answer({ command: "tool", args: {}, syntax }),
      core().answer({ command: "search", args: {}, syntax }),
      core().answer({ command: "nope", args: {}, syntax }),
      core().answer({ command: "recommend", args: {}, syntax }),
    ]);
    // What the member sees: the rendered message (actions carry console hints Slack does not show).
    for (const answer of answers) {
      const shown = JSON.stringify(renderAnswer(answer));
      const names = [...shown.matchAll(/(?<![\w/.-])\/([a-z][a-z-]*)/g)].map((m) => m[1]);
      expect(names.length, shown).toBeGreaterThan(0);
      for (const name of names) expect(name, shown).toMatch(/^st-|^nope$/);
    }
    const help = new Set(named(answers[0] as Answer));
    for (const c of COMMANDS) expect(help).toContain(`st-${c.name}`);
  });

  it("keeps the declared names where no platform syntax is given (console, Discord)", async () => {
    const help = await core().answer({ command: "help", args: {} });
    expect(new Set(named(help))).toContain("search");
    expect(text(help)).toContain("/recommend <tool> [stance] [reason] [member]");
    const overview = await core().answer({ command: "skilltree", args: {} });
    expect(overview.footer).toContain("/search <words>");
  });
});

describe("parseCommandText", () => {
  it("parses one text argument as the console does", () => {
    expect(parseCommandText("recommend", "open vswitch trial fast and simple")).toMatchObject({
      query: {
        command: "recommend",
        args: { tool: "open vswitch", stance: "trial", reason: "fast and simple" },
      },
      hidden: false,
    });
    expect(parseCommandText("skilltree-search", "service mesh").query).toEqual({
      command: "search",
      args: { query: "service mesh" },
    });
  });

  it("takes a leading or trailing hide off, but never the end of a reason", () => {
    expect(parseCommandText("tool", "calico hide")).toMatchObject({
      query: { args: { name: "calico" } },
      hidden: true,
    });
    expect(parseCommandText("tool", "  HIDE  calico ")).toMatchObject({
      query: { args: { name: "calico" } },
      hidden: true,
    });
    expect(parseCommandText("tool", "calico")).toMatchObject({ hidden: false });
    expect(parseCommandText("recommend", "weave hold we had nothing to hide")).toMatchObject({
      query: { args: { reason: "we had nothing to hide" } },
      hidden: false,
    });
    expect(parseCommandText("recommend", "hide weave hold")).toMatchObject({
      query: { args: { tool: "weave", stance: "hold" } },
      hidden: true,
    });
    // A lone trailing hide after a tool name is hide, not part of the name.
    expect(parseCommandText("recommend", "calico hide")).toEqual({
      query: { command: "recommend", args: { tool: "calico" } },
      hidden: true,
    });
    expect(parseCommandText("recommend", "open vswitch HIDE")).toMatchObject({
      query: { args: { tool: "open vswitch" } },
      hidden: true,
    });
    // After a stance it is the reason, as any last words are.
    expect(parseCommandText("recommend", "calico trial hide")).toMatchObject({
      query: { args: { tool: "calico", stance: "trial", reason: "hide" } },
      hidden: false,
    });
    expect(parseCommandText("skilltree", "hide")).toMatchObject({
      query: { command: "skilltree", args: {} },
      hidden: true,
    });
  });

  it("decodes Slack's &amp; &lt; &gt; and keeps mention markup for the core", () => {
    expect(parseCommandText("search", "a &amp; b &lt;c&gt;").query.args.query).toBe("a & b <c>");
    expect(parseCommandText("recommend", "calico remove <@U123|bob>").query.args).toMatchObject({
      stance: "remove",
      reason: "<@U123|bob>",
    });
  });

  it("offers paging only for a query a button can run again", () => {
    expect(pagingOf({ command: "search", args: { query: "x" } })).toEqual({ command: "search", arg: "x" });
    expect(pagingOf({ command: "skilltree", args: {} })).toEqual({ command: "skilltree", arg: "" });
    expect(pagingOf({ command: "top", args: { scope: "workspace" } })).toBeUndefined();
    expect(pagingOf({ command: "recommend", args: { tool: "calico" } })).toBeUndefined();
  });

  it("keys places by team, or enterprise and team in a grid", () => {
    expect(placeOf("T1", undefined, "C1")).toEqual({ platform: "slack", workspace: "T1", channel: "C1" });
    expect(placeOf("T1", "E1", "C1")).toEqual({ platform: "slack", workspace: "E1:T1", channel: "C1" });
    expect(placeOf("T1", "", "C1")?.workspace).toBe("T1");
    expect(placeOf(undefined, "E1", "C1")).toBeUndefined();
  });
});

describe("the app manifest", () => {
  it("declares every command, the scopes and Socket Mode", () => {
    const manifest = buildManifest({ mode: "socket" }) as {
      features: {
        slash_commands: {
          command: string;
          description: string;
          usage_hint?: string;
          url?: string;
          should_escape: boolean;
        }[];
      };
      oauth_config: { scopes: { bot: string[] } };
      settings: {
        socket_mode_enabled: boolean;
        interactivity: { is_enabled: boolean; request_url?: string };
      };
    };
    const commands = manifest.features.slash_commands;
    expect(commands.map((c) => c.command)).toEqual(COMMANDS.map((c) => `/${slackCommandName(c.name)}`));
    for (const c of commands) {
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(100);
      expect(c.url).toBeUndefined();
      expect(c.should_escape).toBe(true);
    }
    expect(commands.find((c) => c.command === "/tool")?.usage_hint).toBe("<name> [hide]");
    expect(commands.find((c) => c.command === "/recommend")?.usage_hint).toBe(
      "<tool> [adopt|trial|assess|hold|remove] [reason]",
    );
    expect(manifest.oauth_config.scopes.bot).toEqual([...BOT_SCOPES]);
    expect(manifest.oauth_config.scopes.bot).toEqual(["commands", "chat:write", "users:read"]);
    expect(manifest.settings).toMatchObject({
      socket_mode_enabled: true,
      interactivity: { is_enabled: true },
    });
    expect(manifest.settings.interactivity.request_url).toBeUndefined();
  });

  it("points commands and interactivity at the endpoint in HTTP mode", () => {
    const manifest = JSON.stringify(buildManifest({ mode: "http", url: "https://bot.example.com/" }));
    expect(manifest.match(/"url":"https:\/\/bot\.example\.com\/slack\/events"/g)).toHaveLength(
      COMMANDS.length,
    );
    expect(manifest).toContain('"request_url":"https://bot.example.com/slack/events"');
    expect(manifest).toContain('"socket_mode_enabled":false');
    expect(() => buildManifest({ mode: "http" })).toThrow(/--url/);
    expect(() => buildManifest({ mode: "http", url: "http://bot.example.com" })).toThrow(/https/);
  });

  it("describes commands in Chinese on request", () => {
    const manifest = JSON.stringify(buildManifest({ mode: "socket", locale: "zh-CN" }));
    expect(manifest).toContain("工具卡片");
  });

  it("keeps the app's descriptions within Slack's lengths in both languages, with any prefix", () => {
    const chars = (s: string) => [...s].length;
    for (const locale of ["en", "zh-CN"] as const) {
      for (const prefix of ["", "st-", "abcdefghijklmnop"]) {
        const { display_information: info } = buildManifest({ mode: "socket", locale, prefix }) as {
          display_information: { description: string; long_description: string };
        };
        const where = `${locale} ${prefix || "(no prefix)"}`;
        expect(chars(info.description), where).toBeGreaterThan(0);
        expect(chars(info.description), where).toBeLessThanOrEqual(139);
        expect(chars(info.long_description), where).toBeGreaterThanOrEqual(175);
        expect(chars(info.long_description), where).toBeLessThanOrEqual(4000);
        if (prefix) expect(info.long_description, where).toContain(`/${prefix}tool`);
      }
    }
  });

  it("builds usage hints from the declaration", () => {
    const radar = (COMMANDS as readonly CommandDeclaration[]).find((c) => c.name === "radar");
    expect(radar && usageHint(radar)).toBe("[channel|workspace] [hide]");
  });

  it("rejects bad command lines", () => {
    expect(parseCli(["--mode", "http", "--url", "https://x.example", "--stdout"])).toMatchObject({
      mode: "http",
      stdout: true,
    });
    expect(() => parseCli(["--mode", "webhook"])).toThrow(/--mode/);
    expect(() => parseCli(["--url", "https://x.example"])).toThrow(/only used with --mode http/);
    expect(() => parseCli(["--bogus"])).toThrow(/unknown argument/);
  });

  it("runs as a script and prints valid JSON", async () => {
    const result = await runScript("adapters/slack/manifest.ts", [
      "--mode",
      "http",
      "--url",
      "https://bot.example.com",
      "--stdout",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const manifest = JSON.parse(result.stdout) as { settings: { socket_mode_enabled: boolean } };
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    const bad = await runScript("adapters/slack/manifest.ts", ["--mode", "http"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--url/);
  });
});

describe("ModeratorLookup", () => {
  const client = (answers: Record<string, { is_admin?: boolean; is_owner?: boolean } | Error>) => {
    const calls: string[] = [];
    const c: UsersInfoClient = {
      users: {
        info: async ({ user }) => {
          calls.push(user);
          const a = answers[user];
          if (a instanceof Error) throw a;
          return a ? { ok: true, user: a } : { ok: false };
        },
      },
    };
    return { c, calls };
  };

  it("trusts admins and owners, caches for the TTL, and fails closed", async () => {
    let now = 0;
    const failures: unknown[] = [];
    const lookup = new ModeratorLookup({
      ttlMs: 300_000,
      now: () => now,
      onFailure: (e) => failures.push(e),
    });
    const { c, calls } = client({
      UA: { is_admin: true },
      UO: { is_owner: true },
      UP: {},
      UX: new Error("boom"),
    });
    expect(await lookup.isModerator(c, "T1", "UA", 1000)).toBe(true);
    expect(await lookup.isModerator(c, "T1", "UO", 1000)).toBe(true);
    expect(await lookup.isModerator(c, "T1", "UP", 1000)).toBe(false);
    expect(await lookup.isModerator(c, "T1", "UX", 1000)).toBe(false);
    expect(await lookup.isModerator(c, "T1", "UNKNOWN", 1000)).toBe(false);
    expect(failures).toHaveLength(1);
    now = 299_000;
    expect(await lookup.isModerator(c, "T1", "UA", 1000)).toBe(true);
    expect(calls.filter((u) => u === "UA")).toHaveLength(1);
    now = 301_000;
    await lookup.isModerator(c, "T1", "UA", 1000);
    expect(calls.filter((u) => u === "UA")).toHaveLength(2);
    // Another workspace is asked separately.
    await lookup.isModerator(c, "T2", "UA", 1000);
    expect(calls.filter((u) => u === "UA")).toHaveLength(3);
  });

  it("gives up on a slow lookup", async () => {
    const lookup = new ModeratorLookup({ ttlMs: 1000 });
    const slow: UsersInfoClient = { users: { info: () => new Promise(() => {}) } };
    const started = Date.now();
    expect(await lookup.isModerator(slow, "T1", "UA", 50)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe("SeenDeliveries", () => {
  it("takes a trigger once for the TTL, forgets it after, and stays bounded", () => {
    let now = 0;
    const seen = new SeenDeliveries({ ttlMs: 600_000, max: 3, now: () => now });
    const key = deliveryKey("command", "T1", "123.456.abc");
    expect(key).toBe("command:T1:123.456.abc");
    expect(seen.first(key as string)).toBe(true);
    expect(seen.first(key as string)).toBe(false);
    // A click with the same trigger is another delivery; so is the same trigger in another workspace.
    expect(seen.first(deliveryKey("action", "T1", "123.456.abc") as string)).toBe(true);
    expect(seen.first(deliveryKey("command", "T2", "123.456.abc") as string)).toBe(true);
    now = 599_999;
    expect(seen.first(key as string)).toBe(false);
    now = 600_000;
    expect(seen.first(key as string)).toBe(true);
    for (let i = 0; i < 10; i++) seen.first(`k${i}`);
    expect(seen.size).toBe(3);
    expect(deliveryKey("command", "T1", "")).toBeUndefined();
    expect(deliveryKey("command", "T1", undefined)).toBeUndefined();
  });

  it("keeps exactly the newest keys through long churn", () => {
    let now = 0;
    const seen = new SeenDeliveries({ ttlMs: 1000, max: 100, now: () => now });
    for (let i = 0; i < 5000; i++) expect(seen.first(`k${i}`)).toBe(true);
    expect(seen.size).toBe(100);
    expect(seen.first("k4900")).toBe(false);
    expect(seen.first("k4899")).toBe(true);
    now = 1000;
    expect(seen.first("k4999")).toBe(true);
    expect(seen.size).toBe(1);
  });
});

describe("the Bolt App", () => {
  it("has no global middleware in either mode: no conversation store, no ignoreSelf", () => {
    const options = { logger: { info() {}, warn() {}, error() {} }, identity: () => undefined };
    const http = createBolt(
      readSlackConfig({ SLACK_MODE: "http", SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: SECRET }),
      options,
    );
    const socket = createBolt(
      readSlackConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }),
      options,
    );
    // Bolt keeps its global middleware in a private list; convoStore: false adds none.
    const middleware = (app: unknown) => (app as { middleware: unknown[] }).middleware;
    expect(middleware(http.app)).toEqual([]);
    expect(middleware(socket.app)).toEqual([]);
  });
});
