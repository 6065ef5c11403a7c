/**
 * The application commands Discord registers, generated from the one declaration
 * (src/commands/declarations.ts): typed options, choices, autocomplete, zh-CN localizations of
 * every name and description, and a `hide` option on every command for private replies.
 */
import {
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import {
  COMMANDS,
  type CommandDeclaration,
  type CommandName,
  type OptionDeclaration,
} from "../../src/commands/declarations.js";

export const HIDE_OPTION = "hide";

type OptionName = (typeof COMMANDS)[number]["options"][number]["name"] | typeof HIDE_OPTION;

/**
 * Chinese command and option names, shown to members whose Discord is in Chinese. Interaction
 * payloads always carry the default (English) names, so nothing else depends on these.
 */
const ZH_NAMES: { commands: Record<CommandName, string>; options: Record<OptionName, string> } = {
  commands: {
    skilltree: "技能树",
    tool: "工具",
    search: "搜索",
    recommend: "推荐",
    top: "排行",
    radar: "雷达",
    help: "帮助",
  },
  options: {
    area: "领域",
    name: "名称",
    query: "关键词",
    tool: "工具",
    stance: "态度",
    reason: "理由",
    member: "成员",
    scope: "范围",
    hide: "隐藏",
  },
};

const HIDE: OptionDeclaration = {
  name: HIDE_OPTION,
  description: { en: "Only you see the reply", zh: "仅自己可见回复" },
  required: false,
  maxLength: 5,
};

function zhName(names: Record<string, string>, name: string): { "zh-CN": string } | undefined {
  const zh = names[name];
  return zh ? { "zh-CN": zh } : undefined;
}

function optionJson(option: OptionDeclaration): APIApplicationCommandBasicOption {
  const common = {
    name: option.name,
    description: option.description.en,
    description_localizations: { "zh-CN": option.description.zh },
    ...(zhName(ZH_NAMES.options, option.name)
      ? { name_localizations: zhName(ZH_NAMES.options, option.name) }
      : {}),
    required: option.required,
  };
  if (option.name === HIDE_OPTION) return { ...common, type: ApplicationCommandOptionType.Boolean };
  if (option.member) return { ...common, type: ApplicationCommandOptionType.User };
  if (option.choices) {
    return {
      ...common,
      type: ApplicationCommandOptionType.String,
      choices: option.choices.map((c) => ({
        name: c.name.en,
        name_localizations: { "zh-CN": c.name.zh },
        value: c.value,
      })),
    };
  }
  return {
    ...common,
    type: ApplicationCommandOptionType.String,
    max_length: option.maxLength,
    ...(option.autocomplete ? { autocomplete: true } : {}),
  };
}

export function commandJson(command: CommandDeclaration): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    ...(zhName(ZH_NAMES.commands, command.name)
      ? { name_localizations: zhName(ZH_NAMES.commands, command.name) }
      : {}),
    description: command.description.en,
    description_localizations: { "zh-CN": command.description.zh },
    options: [...command.options, HIDE].map(optionJson),
  };
}

/** The body of PUT /applications/{id}/commands (or the guild route): every command, once. */
export function applicationCommands(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return (COMMANDS as readonly CommandDeclaration[]).map(commandJson);
}
