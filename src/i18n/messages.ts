/**
 * Every sentence the bot says, in English and Simplified Chinese. The zh catalogue has the
 * en catalogue's type, so a message missing in one language fails the type check.
 */
import type { Locale } from "../answer.js";
import type { Stance } from "../store/types.js";
import type { LicenseKind, Status } from "../taxonomy/schema.js";
import { joinCjk } from "../text/normalize.js";

const q = (s: string) => `“${s}”`;

/**
 * Writes a command as the member types it: "/search", or "/skilltree-search" on Slack. Every
 * message that tells members which command to type names it through this, never literally.
 */
type Slash = (command: string) => string;

const en = (cmd: Slash) => ({
  status: {
    active: "active",
    maintenance: "maintenance only",
    archived: "archived",
    deprecated: "deprecated",
    discontinued: "discontinued",
    merged: "merged",
    commercial: "commercial",
  } satisfies Record<Status, string>,
  licenseKind: {
    permissive: "permissive open source",
    copyleft: "copyleft open source",
    "source-available": "source-available",
    proprietary: "proprietary",
    mixed: "mixed licences",
  } satisfies Record<LicenseKind, string>,
  list: (items: readonly string[]) => items.join(", "),
  licenseLine: (license: string, kind: string) => `${license} (${kind})`,
  statusBadge: (status: string, year?: number) => (year ? `${status} ${year}` : status),
  /** Alternatives, as a reader says them: "containerd, CRI-O or Podman". */
  alternatives: (names: readonly string[]) =>
    names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`,
  /** The status and what to use instead, worded for the status: a merged tool was not replaced. */
  statusLine: (status: Status, badge: string, successor?: string) => {
    if (!successor) return badge;
    switch (status) {
      case "merged":
        return `${badge}: now part of ${successor}`;
      case "commercial":
        return `${badge}: now ${successor}`;
      case "maintenance":
        return `${badge}; alternatives: ${successor}`;
      case "active":
        return badge;
      default:
        return `${badge}: use ${successor} instead`;
    }
  },
  fields: {
    area: "Area",
    status: "Status",
    license: "Licence",
    aliases: "Also known as",
    related: "Related and alternatives",
    note: "Worth knowing",
    articleLink: "The article's 2019 link",
    tools: "Tools",
    mentions: "Also mentioned in the article",
    keyPoints: "Key points from the article",
    belongsTo: "Belongs with",
  },
  links: { homepage: "Homepage", repository: "Repository", article: "2019 article link" },
  fuzzyNotice: (query: string, name: string) => `Showing ${name} for ${q(query)}.`,
  aliasNotice: (query: string, matched: string, name: string) =>
    `${q(query)} matched ${q(matched)}, a name of ${name}.`,
  articleSpellingNotice: (matched: string, name: string) =>
    `The 2019 article spells it ${q(matched)}; today it is ${name}.`,
  overviewTitle: (areas: number, tools: number) => `The Docker skill tree: ${areas} areas, ${tools} tools`,
  overviewText:
    "A map of the container ecosystem from a 2019 article, with every tool's status checked as of today.",
  overviewItem: (tools: number, alive: number) => `${tools} tools, ${alive} still alive`,
  overviewFooter: `Open an area with ${cmd("skilltree")} <area>, a tool with ${cmd("tool")} <name>, or ${cmd("search")} <words>.`,
  categoryFooter: `Open a tool with ${cmd("tool")} <name>.`,
  mentionTitle: (name: string) => `${name} (mentioned in the article)`,
  mentionText: (area: string) =>
    `The article names it in passing under ${area}; it is not one of the 100 tools.`,
  successorEntryTitle: (name: string) => `${name} (not in the 2019 article)`,
  successorEntryText: (area: string, tools: string) =>
    `Not one of the article's 100 tools: it is what to use today instead of ${tools} (${area}).`,
  areaAsToolNotice: (query: string) => `${q(query)} is an area, not a tool: here is the area.`,
  toolAsAreaNotice: (query: string, name: string) => `${q(query)} is a tool, not an area: here is ${name}.`,
  disambiguationTitle: (query: string) => `${q(query)} could mean more than one thing`,
  disambiguationText: "Pick one:",
  didYouMeanTitle: (query: string) => `No exact match for ${q(query)}`,
  didYouMeanText: "Did you mean:",
  notFoundTitle: (query: string) => `Nothing called ${q(query)} in the skill tree`,
  notFoundSuggestions: "Maybe one of these:",
  notFoundNoSuggestions: `Try ${cmd("search")} with a few words, or ${cmd("skilltree")} to browse the areas.`,
  searchTitle: (query: string) => `Search: ${q(query)}`,
  searchCount: (n: number) => (n === 1 ? "1 match" : `${n} matches`),
  searchNone: (query: string) => `No tool or area matches ${q(query)}.`,
  searchNoneHint: `Try fewer or other words, English or Chinese, or ${cmd("skilltree")} to browse.`,
  typeLabel: { area: "area", tool: "tool", mention: "mentioned" },
  errors: {
    emptyTool: `Which tool? Try ${cmd("tool")} calico or ${cmd("tool")} k8s.`,
    emptySearch: `Search for what? Try ${cmd("search")} overlay network or ${cmd("search")} 日志.`,
    tooLong: (max: number) => `That is too long: at most ${max} characters, please.`,
    unknownCommand: (name: string) => `There is no command ${q(name)}.`,
    unknownCommandHint: `Type ${cmd("help")} for the list of commands.`,
    badOption: (name: string, allowed: string) =>
      `${q(name)} is not a valid choice here. Use one of: ${allowed}.`,
    internal: "Something went wrong on our side while answering. Please try again.",
    errorTitle: "Sorry, I can't answer that",
  },
  stance: {
    adopt: "adopt",
    trial: "trial",
    assess: "assess",
    hold: "hold",
  } satisfies Record<Stance, string>,
  stanceMeaning: {
    adopt: "we use it in production",
    trial: "tried it, worth it",
    assess: "worth a look",
    hold: "avoid",
  } satisfies Record<Stance, string>,
  scope: { channel: "this channel", workspace: "this workspace" },
  rec: {
    fieldName: (scope: string) => `Recommended in ${scope}`,
    counts: (parts: string[]) => parts.join(" · "),
    countPart: (n: number, stance: string) => `${n} ${stance}`,
    none: (scope: string) => `No one in ${scope} has recommended it yet.`,
    latestHeading: "Latest reasons",
    latestLine: (who: string, stance: string, reason: string | null) =>
      reason ? `${who} (${stance}): ${reason}` : `${who} (${stance})`,
    action: "Recommend",
    pickTitle: (name: string) => `Recommend ${name}`,
    pickText: `Pick your stance. To add a reason, use ${cmd("recommend")} <tool> <stance> <reason>.`,
    staleAction: "This button no longer works. Run the command again.",
    recordedTitle: (name: string) => `Recorded: you recommend ${name}`,
    updatedTitle: (name: string) => `Updated: your recommendation of ${name}`,
    unchangedTitle: (name: string) => `Already recorded: you recommend ${name}`,
    stanceLine: (stance: string, meaning: string) => `Stance: ${stance} (${meaning})`,
    changedFrom: (before: string) => `Changed from ${before}.`,
    reasonLine: (reason: string) => `Reason: ${reason}`,
    tally: (n: number, scope: string) =>
      n === 1 ? `1 member of ${scope} recommends it.` : `${n} members of ${scope} recommend it.`,
    removedTitle: (name: string) => `Removed: your recommendation of ${name}`,
    removedOtherTitle: (name: string, who: string) => `Removed ${who}'s recommendation of ${name}`,
    removedNote: "The removal is recorded with who did it and when.",
    nothingToRemove: (name: string) => `There is no recommendation of ${name} to remove here.`,
    forbidden: "Only moderators can remove someone else's recommendation.",
    rateLimited: (seconds: number) =>
      `You are changing recommendations too fast. Try again in ${seconds} seconds.`,
    unavailable:
      "Recommendations are unavailable right now; lookups still work. Please try again in a moment.",
    unavailableNotice: "Recommendations are unavailable right now.",
    noPlace: "Recommendations need a channel; this place has none.",
    emptyTool: `Which tool? Try ${cmd("recommend")} calico adopt runs our clusters.`,
    notAToolTitle: (query: string) => `Can't recommend ${q(query)}`,
    nothingRecorded: "Nothing was recorded.",
    didYouMean: (name: string, command: string) =>
      `Nothing was recorded: did you mean ${name}? To recommend it, send: ${command}`,
    stanceBeforeReason: (command: string) =>
      `Nothing was recorded: a reason comes after a stance (adopt, trial, assess or hold). Did you mean: ${command}`,
    mentionNotTool: (name: string) => `${name} is only mentioned in the article; recommend a listed tool.`,
    usageHint: `Usage: ${cmd("recommend")} <tool> [adopt|trial|assess|hold|remove] [reason]`,
    badMember: "Name the member as a mention (@name) or an id.",
    topTitle: (scope: string, area?: string) =>
      area ? `Most recommended in ${area}, ${scope}` : `Most recommended in ${scope}`,
    topEmpty: (scope: string) =>
      `Nothing has been recommended in ${scope} yet. Be the first: ${cmd("recommend")} <tool>.`,
    topLine: (n: number, counts: string) => `${n === 1 ? "1 member" : `${n} members`}: ${counts}`,
    radarTitle: (scope: string) => `Technology radar of ${scope}`,
    radarRing: (stance: string, meaning: string) => `${stance}: ${meaning}`,
    radarEmpty: (scope: string) =>
      `The radar of ${scope} is empty. Recommend a tool: ${cmd("recommend")} <tool> trial.`,
    radarNote:
      "Each tool sits in the ring most of its members chose; a tie goes to the more cautious ring (hold, then assess, then trial).",
    radarItem: (n: number) => (n === 1 ? "1 member" : `${n} members`),
    favourite: (name: string, n: number) => `favourite here: ${name} (${n})`,
    recommendedBadge: (n: number) => `★ ${n}`,
  },
  help: {
    title: "Skilltree: the container ecosystem, at a glance",
    intro:
      "Look up the areas and tools of the Docker skill tree by any name you remember (k8s, habor, 网络, calcio), and see what is still alive today.",
    commandsHeading: "Commands",
    tips: "Names are matched regardless of case, spaces, punctuation or full-width letters. Ask in Chinese and I answer in Chinese.",
  },
});

export type Messages = ReturnType<typeof en>;

const zh = (cmd: Slash): Messages => ({
  status: {
    active: "活跃",
    maintenance: "仅维护",
    archived: "已归档",
    deprecated: "已弃用",
    discontinued: "已停止",
    merged: "已合并",
    commercial: "商业产品",
  },
  licenseKind: {
    permissive: "宽松开源许可",
    copyleft: "著佐权（copyleft）开源许可",
    "source-available": "源码可见（非开源）许可",
    proprietary: "专有",
    mixed: "多种许可",
  },
  list: (items) => items.join("、"),
  licenseLine: (license, kind) => `${license}（${kind}）`,
  statusBadge: (status, year) => (year ? `${year} 年${status}` : status),
  alternatives: (names) =>
    names.length <= 1
      ? (names[0] ?? "")
      : joinCjk(joinCjk(names.slice(0, -1).join("、"), "或"), names.at(-1) ?? ""),
  statusLine: (status, badge, successor) => {
    if (!successor) return badge;
    switch (status) {
      case "merged":
        return `${badge}，${joinCjk(joinCjk("现为", successor), "的一部分")}`;
      case "commercial":
        return `${badge}，${joinCjk("现为", successor)}`;
      case "maintenance":
        return `${badge}；${joinCjk("可选替代：", successor)}`;
      case "active":
        return badge;
      default:
        return `${badge}，${joinCjk("请改用", successor)}`;
    }
  },
  fields: {
    area: "领域",
    status: "状态",
    license: "许可",
    aliases: "别名",
    related: "相关与替代",
    note: "值得一提",
    articleLink: "原文（2019）链接",
    tools: "工具",
    mentions: "原文中顺带提到",
    keyPoints: "原文要点",
    belongsTo: "归属",
  },
  links: { homepage: "主页", repository: "代码仓库", article: "原文链接（2019）" },
  fuzzyNotice: (query, name) => `按${q(query)}显示 ${name}。`,
  aliasNotice: (query, matched, name) => `${q(query)}匹配到 ${name} 的名称${q(matched)}。`,
  articleSpellingNotice: (matched, name) => `2019 年原文写作${q(matched)}，如今的名称是 ${name}。`,
  overviewTitle: (areas, tools) => `Docker 技能树：${areas} 个领域，${tools} 个工具`,
  overviewText: "源自 2019 年一篇文章的容器生态地图，每个工具的现状均已核对至今。",
  overviewItem: (tools, alive) => `${tools} 个工具，${alive} 个仍在维护`,
  overviewFooter: `用 ${cmd("skilltree")} <领域> 打开领域，${cmd("tool")} <名称> 查看工具，或 ${cmd("search")} <关键词> 搜索。`,
  categoryFooter: `用 ${cmd("tool")} <名称> 查看工具详情。`,
  mentionTitle: (name) => `${name}（原文中提到）`,
  mentionText: (area) => `原文在“${area}”中顺带提到它；它不在那 100 个工具之列。`,
  successorEntryTitle: (name) => `${name}（2019 年原文未提及）`,
  successorEntryText: (area, tools) =>
    `它不在原文的 100 个工具之列，而是如今${joinCjk(joinCjk("替代", tools), "的选择")}（${area}）。`,
  areaAsToolNotice: (query) => `${q(query)}是一个领域而不是工具，下面是该领域。`,
  toolAsAreaNotice: (query, name) => `${q(query)}是一个工具而不是领域，下面是 ${name}。`,
  disambiguationTitle: (query) => `${q(query)}可能指多个条目`,
  disambiguationText: "请选择一个：",
  didYouMeanTitle: (query) => `没有与${q(query)}完全匹配的条目`,
  didYouMeanText: "你是不是要找：",
  notFoundTitle: (query) => `技能树中没有${q(query)}`,
  notFoundSuggestions: "也许是这些：",
  notFoundNoSuggestions: `试试用几个关键词 ${cmd("search")}，或用 ${cmd("skilltree")} 浏览各领域。`,
  searchTitle: (query) => `搜索：${q(query)}`,
  searchCount: (n) => `${n} 个结果`,
  searchNone: (query) => `没有与${q(query)}匹配的工具或领域。`,
  searchNoneHint: `换几个或少几个关键词试试（中英文均可），或用 ${cmd("skilltree")} 浏览。`,
  typeLabel: { area: "领域", tool: "工具", mention: "提及" },
  errors: {
    emptyTool: `要查哪个工具？试试 ${cmd("tool")} calico 或 ${cmd("tool")} k8s。`,
    emptySearch: `要搜索什么？试试 ${cmd("search")} overlay 网络 或 ${cmd("search")} 日志。`,
    tooLong: (max) => `输入太长了：最多 ${max} 个字符。`,
    unknownCommand: (name) => `没有${q(name)}这个命令。`,
    unknownCommandHint: `输入 ${cmd("help")} 查看全部命令。`,
    badOption: (name, allowed) => `${q(name)}不是有效的选项，可选：${allowed}。`,
    internal: "回答时出了点问题，请稍后再试。",
    errorTitle: "抱歉，无法回答",
  },
  stance: {
    adopt: "采用",
    trial: "试用",
    assess: "评估",
    hold: "暂缓",
  },
  stanceMeaning: {
    adopt: "已在生产中使用",
    trial: "试过，值得用",
    assess: "值得了解",
    hold: "建议避免",
  },
  scope: { channel: "本频道", workspace: "本工作区" },
  rec: {
    fieldName: (scope) => `${scope}的推荐`,
    counts: (parts) => parts.join(" · "),
    countPart: (n, stance) => `${stance} ${n}`,
    none: (scope) => `${scope}还没有人推荐它。`,
    latestHeading: "最新理由",
    latestLine: (who, stance, reason) => (reason ? `${who}（${stance}）：${reason}` : `${who}（${stance}）`),
    action: "推荐",
    pickTitle: (name) => `推荐 ${name}`,
    pickText: `请选择你的立场。如需附上理由，请用 ${cmd("recommend")} <工具> <立场> <理由>。`,
    staleAction: "这个按钮已失效，请重新运行命令。",
    recordedTitle: (name) => `已记录：你推荐 ${name}`,
    updatedTitle: (name) => `已更新：你对 ${name} 的推荐`,
    unchangedTitle: (name) => `已记录过：你推荐 ${name}`,
    stanceLine: (stance, meaning) => `立场：${stance}（${meaning}）`,
    changedFrom: (before) => `原立场：${before}。`,
    reasonLine: (reason) => `理由：${reason}`,
    tally: (n, scope) => `${scope}有 ${n} 位成员推荐它。`,
    removedTitle: (name) => `已撤回：你对 ${name} 的推荐`,
    removedOtherTitle: (name, who) => `已撤回 ${who} 对 ${name} 的推荐`,
    removedNote: "撤回操作已记录（操作人和时间）。",
    nothingToRemove: (name) => `这里没有可撤回的 ${name} 推荐。`,
    forbidden: "只有管理员可以撤回他人的推荐。",
    rateLimited: (seconds) => `你修改推荐太频繁了，请 ${seconds} 秒后再试。`,
    unavailable: "推荐功能暂时不可用，查询功能不受影响。请稍后再试。",
    unavailableNotice: "推荐功能暂时不可用。",
    noPlace: "推荐需要在频道中进行，这里没有频道。",
    emptyTool: `要推荐哪个工具？试试 ${cmd("recommend")} calico adopt 我们的集群在用。`,
    notAToolTitle: (query) => `无法推荐${q(query)}`,
    nothingRecorded: "未记录任何推荐。",
    didYouMean: (name, command) => `未记录任何推荐：你是不是要找 ${name}？如需推荐，请发送：${command}`,
    stanceBeforeReason: (command) =>
      `未记录任何推荐：理由要写在立场（adopt、trial、assess 或 hold）之后。你是不是想发送：${command}`,
    mentionNotTool: (name) => `${name} 只是原文中提到的条目，请推荐列表中的工具。`,
    usageHint: `用法：${cmd("recommend")} <工具> [adopt|trial|assess|hold|remove] [理由]`,
    badMember: "请用提及（@名字）或 id 指定成员。",
    topTitle: (scope, area) => (area ? `${scope}在“${area}”中最受推荐的工具` : `${scope}最受推荐的工具`),
    topEmpty: (scope) => `${scope}还没有任何推荐。来做第一个：${cmd("recommend")} <工具>。`,
    topLine: (n, counts) => `${n} 位成员：${counts}`,
    radarTitle: (scope) => `${scope}的技术雷达`,
    radarRing: (stance, meaning) => `${stance}：${meaning}`,
    radarEmpty: (scope) => `${scope}的雷达还是空的。推荐一个工具吧：${cmd("recommend")} <工具> trial。`,
    radarNote: "每个工具放在多数成员选择的那一环；票数相同时归入更谨慎的一环（依次为暂缓、评估、试用）。",
    radarItem: (n) => `${n} 位成员`,
    favourite: (name, n) => `本频道最爱：${name}（${n}）`,
    recommendedBadge: (n) => `★ ${n}`,
  },
  help: {
    title: "Skilltree：一眼看清容器生态",
    intro:
      "用你记得的任何名字（k8s、habor、网络、calcio）查找 Docker 技能树中的领域和工具，并了解它们如今是否仍然活跃。",
    commandsHeading: "命令",
    tips: "名称匹配不区分大小写、空格、标点和全角字符。用中文提问，我就用中文回答。",
  },
});

const build = (slash: Slash): Record<Locale, Messages> => ({ en: en(slash), "zh-CN": zh(slash) });
const declared = build((command) => `/${command}`);
/** Catalogues for a platform's command names, built once per naming function. */
const renamed = new WeakMap<(name: string) => string, Record<Locale, Messages>>();

/**
 * The catalogue of a language. `commandName` gives a platform's name for a declared command
 * (without the slash), for the messages that tell members which command to type.
 */
export function messages(locale: Locale, commandName?: (name: string) => string): Messages {
  if (!commandName) return declared[locale];
  let catalogues = renamed.get(commandName);
  if (!catalogues) {
    catalogues = build((command) => `/${commandName(command)}`);
    renamed.set(commandName, catalogues);
  }
  return catalogues[locale];
}

/** Picks the data text for a locale from an { en, zh } pair. */
export function pick(text: { en: string; zh: string }, locale: Locale): string {
  return locale === "zh-CN" ? text.zh : text.en;
}
