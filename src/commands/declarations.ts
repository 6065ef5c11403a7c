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
