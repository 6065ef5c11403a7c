/** Configuration: every variable's bad value gets one clear line naming it, never its value. */
import { describe, expect, it } from "vitest";
import { ConfigError, chooseAdapters, readConfig } from "../src/config.js";
import { runScript } from "./helpers/run.js";

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
];

describe("readConfig", () => {
  it("has sensible defaults with an empty environment", () => {
    const config = readConfig({});
    expect(config).toMatchObject({
      defaultLocale: "en",
      moderators: [],
      rateLimit: 10,
      port: 3000,
      logLevel: "info",
      watchData: false,
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.sqlitePath).toMatch(/var[\\/]skilltree\.db$/);
    expect(chooseAdapters(config, {})).toEqual(["console"]);
  });

  it.each(BAD)("%s=%j is refused with a message naming it", (variable, value, message) => {
    let error: unknown;
    try {
      readConfig({ [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as Error).message;
    expect(text.startsWith(`${variable}: `)).toBe(true);
    expect(text).toMatch(message);
    if (value.length > 3) expect(text).not.toContain(value);
  });

  it("parses lists and chooses adapters from credentials", () => {
    const config = readConfig({
      SKILLTREE_MODERATORS: " U1, 123 ,,",
      SKILLTREE_ADAPTERS: "slack, discord,slack",
    });
    expect(config.moderators).toEqual(["U1", "123"]);
    expect(chooseAdapters(config, {})).toEqual(["slack", "discord"]);
    const auto = readConfig({});
    expect(chooseAdapters(auto, { DISCORD_TOKEN: "x" })).toEqual(["discord"]);
    expect(chooseAdapters(auto, { DISCORD_MODE: "http", SLACK_BOT_TOKEN: "xoxb" })).toEqual([
      "discord",
      "slack",
    ]);
    expect(readConfig({ DATABASE_URL: "  " }).databaseUrl).toBeUndefined();
  });
});

describe("npm start", () => {
  it("exits non-zero with one line for a bad variable", async () => {
    const result = await runScript("src/main.ts", [], {
      env: { PORT: "not-a-port", SKILLTREE_ADAPTERS: "discord" },
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe("skilltree: PORT: expected a TCP port number, such as 3000");
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

  it("detects a loaded platform library (the check above can fail)", async () => {
    const control = await runScript("test/fixtures/load-discord.ts", [], {
      preload: "./test/fixtures/report-loaded-platforms.mjs",
    });
    expect(control.stderr).toMatch(/LOADED_PLATFORM_MODULES=[1-9]/);
  });
});
