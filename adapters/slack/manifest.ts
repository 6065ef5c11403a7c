/**
 * The Slack app manifest, generated from the one command declaration (COMMANDS).
 *
 *   npm run slack:manifest                                   # Socket Mode -> slack-manifest.json
 *   npm run slack:manifest -- --mode http --url https://bot.example.com
 *   npm run slack:manifest -- --stdout --prefix st- --locale zh-CN
 *
 * Paste the file into https://api.slack.com/apps -> Create New App -> From a manifest.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  COMMANDS,
  type CommandDeclaration,
  type OptionDeclaration,
} from "../../src/commands/declarations.js";
import { slackCommandName } from "./commands.js";
import { SLACK_EVENTS_PATH, type SlackMode } from "./config.js";

export interface ManifestOptions {
  mode: SlackMode;
  /** HTTP mode: the bot's public https base URL (or the full endpoint URL). */
  url?: string;
  /** Prepended to every command name, as SLACK_COMMAND_PREFIX. */
  prefix?: string;
  /** The language of command descriptions (Slack has one per command). */
  locale?: "en" | "zh-CN";
  name?: string;
}

/** The bot scopes, and why: slash commands; replies; users.info for admins and owners. */
export const BOT_SCOPES = ["commands", "chat:write", "users:read"] as const;

/**
 * Slack's field sizes in the manifest (descriptions are shown in the command menu). The app's
 * own descriptions: display_information.description at most 139 characters, long_description
 * 175 to 4000 (test/slack-config.test.ts checks both languages, with and without a prefix).
 */
const DESCRIPTION_MAX = 100;
const USAGE_HINT_MAX = 100;

export function buildManifest(options: ManifestOptions): Record<string, unknown> {
  const requestUrl = options.mode === "http" ? endpointUrl(options.url) : undefined;
  const zh = options.locale === "zh-CN";
  const name = options.name ?? "Skilltree";
  const slash = (command: string) => `/${slackCommandName(command, options.prefix ?? "")}`;
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: zh
        ? "容器生态技能树：工具卡片、领域地图和频道推荐"
        : "The container ecosystem skill tree: tool cards, area maps and your channel's recommendations",
      long_description: zh
        ? `Skilltree 按 2019 年《Docker 技能树》一文整理容器生态：14 个领域、100 个工具，逐一核对它们今天的状态（仍然活跃、已经归档，或已被其他项目取代），并给出许可、相关工具和替代方案。用 ${slash("tool")} 查看工具卡片，用 ${slash("skilltree")} 浏览领域，用 ${slash("search")} 按关键词查找；用 ${slash("recommend")} 向频道推荐你信得过的工具，再用 ${slash("top")} 和 ${slash("radar")} 查看团队的选择和技术雷达。中英文双语：用中文提问，就用中文回答。`
        : `Skilltree maps the container ecosystem as the 2019 "Docker skill tree" article did: 14 areas and 100 tools, each checked against what became of it (alive, archived, replaced). Look tools up with ${slash("tool")}, ${slash("skilltree")} and ${slash("search")}, recommend them to your channel with ${slash("recommend")}, and see what your team stands behind with ${slash("top")} and ${slash("radar")}. Answers in English and Simplified Chinese.`,
      background_color: "#1d3557",
    },
    features: {
      bot_user: { display_name: name, always_online: true },
      slash_commands: (COMMANDS as readonly CommandDeclaration[]).map((command) => ({
        command: slash(command.name),
        description: cut(zh ? command.description.zh : command.description.en, DESCRIPTION_MAX),
        ...(usageHint(command) ? { usage_hint: cut(usageHint(command), USAGE_HINT_MAX) } : {}),
        // Mentions arrive as <@U123|name>, so "/recommend calico remove @alice" names a member id.
        should_escape: true,
        ...(requestUrl ? { url: requestUrl } : {}),
      })),
    },
    oauth_config: { scopes: { bot: [...BOT_SCOPES] } },
    settings: {
      interactivity: { is_enabled: true, ...(requestUrl ? { request_url: requestUrl } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: options.mode === "socket",
      token_rotation_enabled: false,
    },
  };
}

/** "<name> [hide]", "[area] [scope] [hide]", "<tool> [adopt|trial|assess|hold|remove] [reason]". */
export function usageHint(command: CommandDeclaration): string {
  const parts = command.options
    .filter((o) => !o.member)
    .map((o: OptionDeclaration) => {
      const inner = o.choices ? o.choices.map((c) => c.value).join("|") : o.name;
      return o.required ? `<${inner}>` : `[${inner}]`;
    });
  const freeTextLast = command.options.some((o) => o.verbatim);
  if (command.options.length > 0 && !freeTextLast) parts.push("[hide]");
  return parts.join(" ");
}

function endpointUrl(url: string | undefined): string {
  if (!url) throw new Error("--url: expected the bot's public https URL for --mode http");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("--url: expected an https URL such as https://bot.example.com");
  }
  if (parsed.protocol !== "https:") throw new Error("--url: Slack only calls https URLs");
  const base = parsed.href.replace(/\/+$/, "");
  return base.endsWith(SLACK_EVENTS_PATH) ? base : `${base}${SLACK_EVENTS_PATH}`;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

// ---- Command line ------------------------------------------------------------------------------

const USAGE =
  "Usage: npm run slack:manifest -- [--mode socket|http] [--url https://…] [--prefix st-] [--locale en|zh-CN] [--out file | --stdout]";

export function parseCli(argv: readonly string[]): ManifestOptions & { out?: string; stdout: boolean } {
  const options: ManifestOptions & { out?: string; stdout: boolean } = { mode: "socket", stdout: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${flag}: expected a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case "--mode": {
        const mode = value();
        if (mode !== "socket" && mode !== "http")
          throw new Error(`--mode: expected socket or http\n${USAGE}`);
        options.mode = mode;
        break;
      }
      case "--url":
        options.url = value();
        break;
      case "--prefix": {
        const prefix = value();
        if (!/^[a-z0-9_-]{1,16}$/.test(prefix))
          throw new Error("--prefix: expected up to 16 lowercase letters, digits, - or _");
        options.prefix = prefix;
        break;
      }
      case "--locale": {
        const locale = value();
        if (locale !== "en" && locale !== "zh-CN")
          throw new Error(`--locale: expected en or zh-CN\n${USAGE}`);
        options.locale = locale;
        break;
      }
      case "--out":
        options.out = value();
        break;
      case "--stdout":
        options.stdout = true;
        break;
      default:
        throw new Error(`unknown argument ${flag}\n${USAGE}`);
    }
  }
  if (options.mode === "socket" && options.url) throw new Error("--url: only used with --mode http");
  return options;
}

function main(): void {
  try {
    const options = parseCli(process.argv.slice(2));
    const json = `${JSON.stringify(buildManifest(options), null, 2)}\n`;
    if (options.stdout) {
      process.stdout.write(json);
      return;
    }
    const out = resolve(options.out ?? "slack-manifest.json");
    writeFileSync(out, json);
    process.stdout.write(
      `Wrote ${out} (${options.mode === "http" ? "HTTP" : "Socket Mode"}). Create the app from it at https://api.slack.com/apps.\n`,
    );
  } catch (error) {
    process.stderr.write(`slack:manifest: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
