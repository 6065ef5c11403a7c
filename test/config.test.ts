/** Configuration: every bad variable gets one clear line naming it, never its value. */
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, checkConfig, detectPlatforms, PLATFORM_VARIABLES, readConfig } from "../src/config.js";
import { APPLICATION_ID, PUBLIC_KEY_HEX, startBot, stopStartedBots } from "./helpers/bot.js";
import { runScript } from "./helpers/run.js";

const SERVER = { adapters: ["discord" as const] };

const BAD: [variable: string, value: string, message: RegExp][] = [
  ["SKILLTREE_LOCALE", "fr-FR", /expected one of en, zh-CN/],
  ["SKILLTREE_DATA_DIR", "", /expected a folder path/],
  ["DATABASE_URL", "mysql://root@db/x", /expected a PostgreSQL URL/],
  ["SKILLTREE_SQLITE_PATH", "", /expected a file path/],
  ["SKILLTREE_RATE_LIMIT", "lots", /expected a whole number of changes per minute/],
  ["SKILLTREE_RATE_LIMIT", "0", /expected at least 1/],
  ["SKILLTREE_CONSOLE_MEMBER", "alice smith!", /expected a name of letters/],
  ["SKILLTREE_CONSOLE_CHANNEL", "#general", /expected a name of letters/],
  ["PORT", "http", /expected a TCP port number/],
  ["PORT", "70000", /from 0 to 65535/],
  ["HOST", "", /expected an address to listen on/],
  ["SKILLTREE_ADAPTERS", "console,irc", /comma-separated list of console, discord, slack/],
  ["LOG_LEVEL", "loud", /expected one of fatal, error/],
  ["SKILLTREE_WATCH_DATA", "sometimes", /expected true or false/],
  ["SKILLTREE_ANSWER_CACHE_MS", "soon", /expected milliseconds/],
  ["SKILLTREE_ANSWER_CACHE_MS", "-5", /expected 0 \(off\) or more/],
];

function problemsOf(env: NodeJS.ProcessEnv, options = {}): string[] {
  const check = checkConfig(env, options);
  return check.ok ? [] : check.problems;
}

describe("readConfig", () => {
  it("has sensible defaults with an empty environment", () => {
    const config = readConfig({});
    expect(config).toMatchObject({
      defaultLocale: "en",
      moderators: [],
      rateLimit: 10,
      adapters: ["console"],
      adaptersExplicit: false,
      console: { channel: "local" },
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.sqlitePath).toMatch(/var[\\/]skilltree\.db$/);
    expect(config.server).toBeUndefined();
    expect(readConfig({}, SERVER).server).toEqual({
      port: 3000,
      host: "0.0.0.0",
      logLevel: "info",
      watchData: false,
      answerCacheMs: 1000,
    });
    expect(readConfig({ SKILLTREE_ANSWER_CACHE_MS: "0" }, SERVER).server?.answerCacheMs).toBe(0);
  });

  it.each(BAD)("%s=%j is refused with a message naming it", (variable, value, message) => {
    let error: unknown;
    try {
      // The console's and the server's variables are both checked when both run.
      const both = variable === "SKILLTREE_ADAPTERS" ? {} : { SKILLTREE_ADAPTERS: "console,discord" };
      readConfig({ ...both, [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as Error).message;
    expect(text.startsWith(`${variable}: `)).toBe(true);
    expect(text).toMatch(message);
    if (value.length > 3) expect(text).not.toContain(value);
  });

  it("reports every bad variable, one line each, in one pass", () => {
    const problems = problemsOf(
      { SKILLTREE_LOCALE: "fr", PORT: "x", LOG_LEVEL: "loud", SKILLTREE_RATE_LIMIT: "0.5" },
      SERVER,
    );
    expect(problems).toEqual([
      "SKILLTREE_LOCALE: expected one of en, zh-CN",
      "SKILLTREE_RATE_LIMIT: expected a whole number of changes per minute, such as 10",
      "PORT: expected a TCP port number, such as 3000",
      "LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent",
    ]);
  });

  it("checks only what runs: the console ignores PORT and HOST, a server ignores the console's names", () => {
    const serverOnly = { PORT: "http", HOST: "", LOG_LEVEL: "loud", SKILLTREE_WATCH_DATA: "maybe" };
    expect(problemsOf(serverOnly)).toEqual([]);
    expect(problemsOf(serverOnly, SERVER)).toHaveLength(4);
    const consoleOnly = { SKILLTREE_CONSOLE_MEMBER: "alice smith!", SKILLTREE_CONSOLE_CHANNEL: "#general" };
    expect(problemsOf(consoleOnly, SERVER)).toEqual([]);
    expect(problemsOf(consoleOnly)).toHaveLength(2);
  });

  it("parses lists and chooses adapters: SKILLTREE_ADAPTERS, else the platforms' variables", () => {
    const config = readConfig({
      SKILLTREE_MODERATORS: " U1, 123 ,,",
      SKILLTREE_ADAPTERS: "slack, discord,slack",
    });
    expect(config.moderators).toEqual(["U1", "123"]);
    expect(config).toMatchObject({ adapters: ["slack", "discord"], adaptersExplicit: true });
    expect(readConfig({ DISCORD_TOKEN: "x" }).adapters).toEqual(["discord"]);
    expect(readConfig({ DISCORD_MODE: "http", SLACK_BOT_TOKEN: "xoxb" }).adapters).toEqual([
      "discord",
      "slack",
    ]);
    expect(readConfig({ DATABASE_URL: "  " }).databaseUrl).toBeUndefined();
  });

  it("counts a platform as wanted when any of its variables is set, in any case", () => {
    expect(detectPlatforms({})).toEqual([]);
    expect(detectPlatforms({ DISCORD_TOKEN: " ", SLACK_BOT_TOKEN: "" })).toEqual([]);
    // DISCORD_MODE=HTTP was compared case-sensitively and fell back to the console.
    expect(detectPlatforms({ DISCORD_MODE: "HTTP" })).toEqual(["discord"]);
    for (const [platform, variables] of Object.entries(PLATFORM_VARIABLES)) {
      for (const variable of variables)
        expect(detectPlatforms({ [variable]: "x" }), variable).toEqual([platform]);
    }
  });
});

describe("npm start", () => {
  afterAll(stopStartedBots);

  it("exits non-zero with one line per bad variable, the platform's included", async () => {
    const result = await runScript("src/main.ts", [], {
      env: { PORT: "not-a-port", SKILLTREE_LOCALE: "xx", SKILLTREE_ADAPTERS: "discord" },
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      "skilltree: SKILLTREE_LOCALE: expected one of en, zh-CN",
      "skilltree: PORT: expected a TCP port number, such as 3000",
      "skilltree: DISCORD_TOKEN: required in gateway mode (the default); set the bot token, or DISCORD_MODE=http",
    ]);
  });

  it.each([
    [
      "a Slack app token without the bot token",
      { SLACK_APP_TOKEN: "xapp-1-A0-123-abc" },
      "skilltree: SLACK_BOT_TOKEN: expected the bot token (xoxb-…) from OAuth & Permissions",
    ],
    [
      "a Discord public key and application id without DISCORD_MODE",
      { DISCORD_PUBLIC_KEY: PUBLIC_KEY_HEX, DISCORD_APPLICATION_ID: APPLICATION_ID },
      "skilltree: DISCORD_TOKEN: required in gateway mode (the default); set the bot token, or DISCORD_MODE=http",
    ],
  ])("stops on a half-set platform (%s) instead of running the console", async (_, env, line) => {
    // An unreachable database too: the platform's error comes first, before any store is opened.
    const result = await runScript("src/main.ts", [], {
      input: "/tool calico\n",
      env: { ...env, DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" },
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(line);
    expect(result.stdout).toBe("");
  });

  it("runs Discord for DISCORD_MODE=Http (any case), not the console", async () => {
    const bot = await startBot({
      SKILLTREE_ADAPTERS: "",
      DISCORD_MODE: "Http",
      DISCORD_PUBLIC_KEY: PUBLIC_KEY_HEX,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
    });
    expect(bot.output()).toMatch(/"adapters":\["discord"\][^\n]*skilltree listening/);
    bot.process.kill("SIGTERM");
    expect(await bot.exited).toBe(0);
  });

  it("runs the console without loading discord.js or Bolt", async () => {
    const result = await runScript("src/main.ts", [], {
      input: "/tool calico\n",
      preload: "./test/fixtures/report-loaded-platforms.mjs",
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Calico$/m);
    expect(result.stderr).toContain("LOADED_PLATFORM_MODULES=0");
  });

  it("loads neither discord.js nor @discordjs/rest for Discord's HTTP mode until a deferral needs REST", async () => {
    const result = await runScript("test/fixtures/start-discord-http.ts", [], {
      preload: "./test/fixtures/report-loaded-platforms.mjs",
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('LOADED_PLATFORM_PACKAGES=["discord-api-types"]');
  });

  it("detects a loaded platform library (the check above can fail)", async () => {
    const control = await runScript("test/fixtures/load-discord.ts", [], {
      preload: "./test/fixtures/report-loaded-platforms.mjs",
    });
    expect(control.stderr).toMatch(/LOADED_PLATFORM_MODULES=[1-9]/);
    expect(control.stderr).toMatch(/LOADED_PLATFORM_PACKAGES=\[[^\]]*"discord\.js"/);
  });
});
