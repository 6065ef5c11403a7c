/**
 * Every command, declared once as data. `/help`, the console's parser, Discord registration
 * and the Slack manifest are all generated from this list, so a command or option is added here
 * and nowhere else.
 */

export interface Text {
  en: string;
  zh: string;
}

export interface OptionDeclaration {
  /** 1-32 lowercase characters: Discord's rule, the strictest of the platforms. */
  name: string;
  description: Text;
  required: boolean;
  /** Longest accepted value, checked by the core before any lookup. */
  maxLength: number;
  /** Suggest names as the member types. */
  autocomplete?: "tool" | "area";
  /** A fixed set of values. */
  choices?: readonly { value: string; name: Text }[];
  /** When parsed from one line of text, this option takes the rest of the line. */
  rest?: boolean;
  /** A platform member (Discord user option); as text, a mention or an id. */
  member?: boolean;
  /** Free text kept as the member wrote it (only control characters are removed). */
  verbatim?: boolean;
}

export interface CommandDeclaration {
  name: string;
  description: Text;
  /** Example uses, shown by /help. */
  examples: readonly string[];
  options: readonly OptionDeclaration[];
}

/** Names of things are short; free-text searches a little longer. */
export const MAX_NAME_LENGTH = 100;
export const MAX_SEARCH_LENGTH = 200;
export const MAX_REASON_LENGTH = 280;

const SCOPE_OPTION = {
  name: "scope",
  description: { en: "This channel (default) or the whole workspace", zh: "本频道（默认）或整个工作区" },
  required: false,
  maxLength: 16,
  choices: [
    { value: "channel", name: { en: "this channel", zh: "本频道" } },
    { value: "workspace", name: { en: "whole workspace", zh: "整个工作区" } },
  ],
} as const satisfies OptionDeclaration;

export const COMMANDS = [
  {
    name: "skilltree",
    description: {
      en: "The 14 areas of the container skill tree, or one area's tools",
      zh: "容器技能树的 14 个领域，或某个领域的工具",
    },
    examples: ["/skilltree", "/skilltree networking", "/skilltree 日志"],
    options: [
      {
        name: "area",
        description: {
          en: "An area, e.g. networking, logging, 容器网络",
          zh: "领域，例如 networking、logging、容器网络",
        },
        required: false,
        maxLength: MAX_NAME_LENGTH,
        autocomplete: "area",
        rest: true,
      },
    ],
  },
  {
    name: "tool",
    description: {
      en: "A tool card: what it is, whether it is alive, what replaced it",
      zh: "工具卡片：它是什么、是否仍然活跃、被什么取代",
    },
    examples: ["/tool calico", "/tool k8s", "/tool habor"],
    options: [
      {
        name: "name",
        description: { en: "The tool's name, alias or former name", zh: "工具的名称、别名或旧名" },
        required: true,
        maxLength: MAX_NAME_LENGTH,
        autocomplete: "tool",
        rest: true,
      },
    ],
  },
  {
    name: "search",
    description: {
      en: "Find tools and areas by words in names, tags and descriptions",
      zh: "按名称、标签和描述中的关键词查找工具和领域",
    },
    examples: ["/search overlay network", "/search 日志收集", "/search service mesh"],
    options: [
      {
        name: "query",
        description: { en: "Words to look for, English or Chinese", zh: "要查找的关键词，中英文均可" },
        required: true,
        maxLength: MAX_SEARCH_LENGTH,
        rest: true,
      },
    ],
  },
  {
    name: "recommend",
    description: {
      en: "Recommend a tool to this channel (adopt, trial, assess or hold), or remove yours",
      zh: "向本频道推荐工具（adopt、trial、assess 或 hold），或撤回你的推荐",
    },
    examples: [
      "/recommend calico adopt runs our prod clusters",
      "/recommend weave hold archived since 2024",
      "/recommend calico remove",
    ],
    options: [
      {
        name: "tool",
        description: { en: "The tool you recommend", zh: "你推荐的工具" },
        required: true,
        maxLength: MAX_NAME_LENGTH,
        autocomplete: "tool",
      },
      {
        name: "stance",
        description: {
          en: "adopt (default), trial, assess, hold; or remove",
          zh: "adopt（默认）、trial、assess、hold；或 remove 撤回",
        },
        required: false,
        maxLength: 16,
        choices: [
          { value: "adopt", name: { en: "adopt: we use it in production", zh: "adopt：已在生产中使用" } },
          { value: "trial", name: { en: "trial: tried it, worth it", zh: "trial：试过，值得用" } },
          { value: "assess", name: { en: "assess: worth a look", zh: "assess：值得了解" } },
          { value: "hold", name: { en: "hold: avoid", zh: "hold：建议避免" } },
          { value: "remove", name: { en: "remove my recommendation", zh: "撤回我的推荐" } },
        ],
      },
      {
        name: "reason",
        description: { en: "Why, in one line (280 characters at most)", zh: "理由，一行（最多 280 个字符）" },
        required: false,
        maxLength: MAX_REASON_LENGTH,
        rest: true,
        verbatim: true,
      },
      {
        name: "member",
        description: {
          en: "Moderators: whose recommendation to remove",
          zh: "仅管理员：要撤回谁的推荐",
        },
        required: false,
        maxLength: MAX_NAME_LENGTH,
        member: true,
      },
    ],
  },
  {
    name: "top",
    description: {
      en: "The most recommended tools in this channel or workspace",
      zh: "本频道或工作区中最受推荐的工具",
    },
    examples: ["/top", "/top networking", "/top workspace"],
    options: [
      {
        name: "area",
        description: { en: "Only tools of this area", zh: "只看该领域的工具" },
        required: false,
        maxLength: MAX_NAME_LENGTH,
        autocomplete: "area",
      },
      SCOPE_OPTION,
    ],
  },
  {
    name: "radar",
    description: {
      en: "This channel's technology radar: recommended tools in adopt, trial, assess and hold rings",
      zh: "本频道的技术雷达：按 adopt、trial、assess、hold 分环展示推荐的工具",
    },
    examples: ["/radar", "/radar workspace"],
    options: [SCOPE_OPTION],
  },
  {
    name: "help",
    description: { en: "How to use Skilltree", zh: "Skilltree 使用说明" },
    examples: ["/help"],
    options: [],
  },
] as const satisfies readonly CommandDeclaration[];

export type CommandName = (typeof COMMANDS)[number]["name"];

export function findCommand(name: string): CommandDeclaration | undefined {
  return (COMMANDS as readonly CommandDeclaration[]).find((c) => c.name === name);
}
