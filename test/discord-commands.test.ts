/**
 * The Discord surface around the handlers: the registered commands (generated from the one
 * declaration), `npm run discord:register` against a local stand-in, the invite link, the
 * configuration, and the interaction -> Query mapping.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applicationCommands, HIDE_OPTION } from "../adapters/discord/commands.js";
import { readDiscordConfig, readDiscordRegisterConfig, wantsDiscord } from "../adapters/discord/config.js";
import { argsOf, localeOf, pagerOf, whoOf } from "../adapters/discord/interactions.js";
import { inviteUrl } from "../adapters/discord/invite.js";
import { registerCommands } from "../adapters/discord/register.js";
import { COMMANDS } from "../src/commands/declarations.js";
import { ConfigError } from "../src/config.js";
import { DiscordStandIn, fixture, interaction } from "./helpers/discord-standin.js";
import { runScript } from "./helpers/run.js";

const TOKEN = "MTI5MDAwMDAwMDAwMDAwMDAwMQ.GstAnd.in-token-for-tests-only_0123456789";
const APP = "1290000000000000001";
const GUILD = "1290000000000000100";

interface OptionJson {
  name: string;
  type: number;
  description: string;
  required?: boolean;
  autocomplete?: boolean;
  max_length?: number;
  name_localizations?: Record<string, string>;
  description_localizations?: Record<string, string>;
  choices?: { name: string; value: string; name_localizations?: Record<string, string> }[];
}

const commands = applicationCommands() as unknown as (OptionJson & { options: OptionJson[] })[];
const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

describe("registered commands", () => {
  it("are the declared commands, each with zh-CN names and descriptions on every command, option and choice", () => {
    expect(commands.map((c) => c.name)).toEqual(COMMANDS.map((c) => c.name));
    const localized = (o: OptionJson) => {
      expect(o.name).toMatch(NAME);
      expect(o.name).toBe(o.name.toLowerCase());
      expect(o.name_localizations?.["zh-CN"]).toMatch(NAME);
      expect(o.description.length).toBeGreaterThan(0);
      expect(o.description.length).toBeLessThanOrEqual(100);
      const zh = o.description_localizations?.["zh-CN"] ?? "";
      expect(zh.length).toBeGreaterThan(0);
      expect(zh.length).toBeLessThanOrEqual(100);
      for (const choice of o.choices ?? []) {
        expect(choice.name.length).toBeLessThanOrEqual(100);
        expect(choice.name_localizations?.["zh-CN"]?.length ?? 0).toBeGreaterThan(0);
      }
    };
    for (const command of commands) {
      localized(command);
      command.options.forEach(localized);
    }
    expect(commands.find((c) => c.name === "tool")?.name_localizations).toEqual({ "zh-CN": "工具" });
  });

  it("give every command a boolean `hide` option, last, and keep required options first", () => {
    for (const command of commands) {
      expect(command.options.at(-1)).toMatchObject({ name: HIDE_OPTION, type: 5, required: false });
      const required = command.options.map((o) => o.required === true);
      expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
      expect(command.options.length).toBeLessThanOrEqual(25);
    }
  });

  it("type the options: autocomplete for tools and areas, stance and scope choices, a USER member", () => {
    const option = (command: string, name: string) =>
      commands.find((c) => c.name === command)?.options.find((o) => o.name === name);
    expect(option("skilltree", "area")).toMatchObject({ type: 3, autocomplete: true, max_length: 100 });
    expect(option("tool", "name")).toMatchObject({ type: 3, autocomplete: true, required: true });
    expect(option("search", "query")).toMatchObject({ type: 3, required: true, max_length: 200 });
    expect(option("recommend", "tool")).toMatchObject({ type: 3, autocomplete: true, required: true });
    expect(option("recommend", "stance")?.choices?.map((c) => c.value)).toEqual([
      "adopt",
      "trial",
      "assess",
      "hold",
      "remove",
    ]);
    expect(option("recommend", "reason")).toMatchObject({ type: 3, max_length: 280 });
    expect(option("recommend", "member")).toMatchObject({ type: 6, required: false });
    expect(option("top", "area")).toMatchObject({ autocomplete: true });
    expect(option("top", "scope")?.choices?.map((c) => c.value)).toEqual(["channel", "workspace"]);
    expect(option("radar", "scope")?.choices).toHaveLength(2);
    for (const command of commands) {
      for (const o of command.options) expect(o.autocomplete && o.choices).toBeFalsy();
    }
  });

  it("stay within Discord's 8000 characters per command (longest localization counted)", () => {
    const longest = (text: string, localized?: Record<string, string>) =>
      Math.max(text.length, ...Object.values(localized ?? {}).map((t) => t.length));
    for (const command of commands) {
      let size = longest(command.name, command.name_localizations);
      size += longest(command.description, command.description_localizations);
      for (const o of command.options) {
        size += longest(o.name, o.name_localizations) + longest(o.description, o.description_localizations);
        for (const c of o.choices ?? []) size += longest(c.name, c.name_localizations) + c.value.length;
      }
      expect(size).toBeLessThan(8000);
    }
  });
});

describe("npm run discord:register", () => {
  let standIn: DiscordStandIn;

  beforeAll(async () => {
    standIn = await DiscordStandIn.start({ token: TOKEN });
  });

  afterAll(async () => {
    await standIn?.close();
  });

  it("registers every command to one server with the bot token, through DISCORD_API_URL", async () => {
    const result = await runScript("adapters/discord/register.ts", [], {
      env: {
        DISCORD_TOKEN: TOKEN,
        DISCORD_APPLICATION_ID: APP,
        DISCORD_GUILD_ID: GUILD,
        DISCORD_API_URL: standIn.apiUrl,
      },
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Registered ${COMMANDS.length} commands to server ${GUILD}`);
    expect(result.stdout).toContain(`client_id=${APP}`);
    const put = standIn.requests.find((r) => r.method === "PUT");
    expect(put?.path).toBe(`/applications/${APP}/guilds/${GUILD}/commands`);
    expect(put?.headers.authorization).toBe(`Bot ${TOKEN}`);
    expect(put?.body).toEqual(JSON.parse(JSON.stringify(applicationCommands())));
  });

  it("registers globally without DISCORD_GUILD_ID", async () => {
    const config = readDiscordRegisterConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: APP,
      DISCORD_API_URL: standIn.apiUrl,
    });
    expect(await registerCommands(config)).toEqual({ scope: "global", count: COMMANDS.length });
    expect(standIn.requests.at(-1)).toMatchObject({ method: "PUT", path: `/applications/${APP}/commands` });
  });

  it("fails with the variable's name, never its value", async () => {
    const result = await runScript("adapters/discord/register.ts", [], {
      env: {
        DISCORD_TOKEN: "not a token!",
        DISCORD_APPLICATION_ID: APP,
        DISCORD_GUILD_ID: "",
        DISCORD_API_URL: standIn.apiUrl,
      },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^discord:register: DISCORD_TOKEN: expected the bot token/);
    expect(result.stderr).not.toContain("not a token!");
  });
});

describe("invite link", () => {
  it("asks for the bot and applications.commands scopes, and no channel permission", () => {
    expect(inviteUrl(APP)).toBe(
      `https://discord.com/oauth2/authorize?client_id=${APP}&scope=bot+applications.commands&permissions=0`,
    );
    expect(inviteUrl(APP, GUILD)).toContain(`&guild_id=${GUILD}`);
  });
});

describe("readDiscordConfig", () => {
  const key = "ab".repeat(32);
  const problem = (env: NodeJS.ProcessEnv): string => {
    try {
      readDiscordConfig(env);
      return "accepted";
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
  };

  it("defaults to gateway mode with Discord's API, a 2 s defer deadline and a 64 KiB body limit", () => {
    expect(readDiscordConfig({ DISCORD_TOKEN: TOKEN })).toEqual({
      mode: "gateway",
      token: TOKEN,
      apiUrl: "https://discord.com/api",
      deferAfterMs: 2000,
      maxBodyBytes: 65_536,
    });
    expect(
      readDiscordConfig({
        DISCORD_MODE: " HTTP ",
        DISCORD_PUBLIC_KEY: key.toUpperCase(),
        DISCORD_APPLICATION_ID: APP,
        DISCORD_API_URL: "http://127.0.0.1:9/api/",
      }),
    ).toMatchObject({ mode: "http", publicKey: key, applicationId: APP, apiUrl: "http://127.0.0.1:9/api" });
  });

  it("names the missing or bad variable and what it expects, never the value", () => {
    expect(problem({})).toMatch(/^DISCORD_TOKEN: required in gateway mode/);
    expect(problem({ DISCORD_MODE: "socket", DISCORD_TOKEN: TOKEN })).toMatch(
      /^DISCORD_MODE: expected gateway/,
    );
    expect(problem({ DISCORD_MODE: "http", DISCORD_APPLICATION_ID: APP })).toMatch(
      /^DISCORD_PUBLIC_KEY: required/,
    );
    expect(problem({ DISCORD_MODE: "http", DISCORD_PUBLIC_KEY: key })).toMatch(
      /^DISCORD_APPLICATION_ID: required/,
    );
    const secret = "zz-secret-zz";
    for (const [name, env] of [
      [
        "DISCORD_PUBLIC_KEY",
        { DISCORD_MODE: "http", DISCORD_PUBLIC_KEY: secret, DISCORD_APPLICATION_ID: APP },
      ],
      ["DISCORD_TOKEN", { DISCORD_TOKEN: `${secret} with spaces` }],
      ["DISCORD_GUILD_ID", { DISCORD_TOKEN: TOKEN, DISCORD_GUILD_ID: secret }],
      ["DISCORD_API_URL", { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: `ftp://${secret}` }],
      ["DISCORD_APPLICATION_ID", { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: secret }],
    ] as const) {
      const message = problem(env);
      expect(message.startsWith(`${name}: expected`)).toBe(true);
      expect(message).not.toContain(secret);
    }
  });

  it("wants Discord when a token is set or HTTP mode is asked for", () => {
    expect(wantsDiscord({})).toBe(false);
    expect(wantsDiscord({ DISCORD_TOKEN: " " })).toBe(false);
    expect(wantsDiscord({ DISCORD_TOKEN: TOKEN })).toBe(true);
    expect(wantsDiscord({ DISCORD_MODE: "http" })).toBe(true);
  });
});

describe("interaction -> Query", () => {
  it("answers in the member's Discord language where there is one, and lets the core decide otherwise", () => {
    expect(localeOf("en-US")).toBe("en");
    expect(localeOf("en-GB")).toBe("en");
    expect(localeOf("zh-CN")).toBe("zh-CN");
    // No Traditional Chinese catalogue: Simplified is closer than English.
    expect(localeOf("zh-TW")).toBe("zh-CN");
    expect(localeOf("ja")).toBeUndefined();
    expect(localeOf("es-419")).toBeUndefined();
    expect(localeOf("")).toBeUndefined();
    expect(localeOf(undefined)).toBeUndefined();
  });

  it("takes the member, the guild channel and Manage Messages from the payload", () => {
    const who = whoOf(interaction("command-tool") as never);
    expect(who).toEqual({
      member: { id: "1290000000000000501", name: "Alice", isModerator: false },
      place: { platform: "discord", workspace: GUILD, channel: "1290000000000000200" },
      locale: "en",
    });
    const moderator = whoOf(interaction("command-tool", { permissions: "2248473465843265" }) as never);
    expect(moderator.member?.isModerator).toBe(true);
    expect(
      whoOf(interaction("command-tool", { permissions: "not a number" }) as never).member?.isModerator,
    ).toBe(false);
  });

  it("keeps direct messages apart per user", () => {
    const { member: _member, guild_id: _guild, guild: _g, ...rest } = fixture("command-tool");
    const dm = {
      ...rest,
      context: 1,
      channel: { id: "1290000000000000900", type: 1 },
      channel_id: "1290000000000000900",
      user: { id: "1290000000000000777", username: "carol", global_name: null },
      locale: "zh-TW",
    };
    expect(whoOf(dm as never)).toEqual({
      member: { id: "1290000000000000777", name: "carol", isModerator: false },
      place: { platform: "discord", workspace: "dm:1290000000000000777", channel: "1290000000000000900" },
      locale: "zh-CN",
    });
  });

  it("reads options as text, `hide` as a flag, and pages only what one argument can ask again", () => {
    expect(
      argsOf([
        { name: "query", type: 3, value: "overlay" },
        { name: "hide", type: 5, value: true },
      ]),
    ).toEqual({ args: { query: "overlay" }, hide: true });
    expect(argsOf([{ name: "member", type: 6, value: "1290000000000000501" }])).toEqual({
      args: { member: "1290000000000000501" },
      hide: false,
    });
    expect(pagerOf("search", { query: "overlay" })).toEqual({ command: "search", arg: "overlay" });
    expect(pagerOf("skilltree", {})).toEqual({ command: "skilltree", arg: "" });
    expect(pagerOf("top", { area: "networking", scope: "workspace" })).toBeUndefined();
    expect(pagerOf("top", { area: "networking" })).toEqual({ command: "top", arg: "networking" });
    expect(pagerOf("radar", { scope: "workspace" })).toEqual({ command: "radar", arg: "workspace" });
    expect(pagerOf("help", {})).toEqual({ command: "help", arg: "" });
    expect(pagerOf("recommend", { tool: "calico" })).toBeUndefined();
    expect(pagerOf("nope", {})).toBeUndefined();
  });
});
