/**
 * The core: takes a Query, returns an Answer. It never throws to an adapter and never
 * answers with silence: bad input gets a clear message in the member's language.
 */

import { decodeAction, idRef, queryOf } from "./actions.js";
import type { Answer, Locale } from "./answer.js";
import { AnswerCache } from "./answer-cache.js";
import { type Context, makeContext } from "./commands/context.js";
import { type CommandDeclaration, findCommand } from "./commands/declarations.js";
import { helpCommand } from "./commands/help.js";
import { errorAnswer } from "./commands/present.js";
import { recommendCommand, stancePicker } from "./commands/recommend.js";
import { searchCommand } from "./commands/search.js";
import { skilltreeCommand } from "./commands/skilltree.js";
import { toolCommand } from "./commands/tool.js";
import { radarCommand, topCommand } from "./commands/top.js";
import { messages } from "./i18n/messages.js";
import type { CommandSyntax, Query } from "./query.js";
import type { Recommendations } from "./recommendations.js";
import { Resolver } from "./search/resolve.js";
import { displayName, type Taxonomy } from "./taxonomy/model.js";
import { cleanInput, cleanText, hasChinese, nameKey } from "./text/normalize.js";

export interface CoreOptions {
  /** The language when neither the platform nor the text says otherwise. */
  defaultLocale: Locale;
  /** Recommendations (store and rules); without them the recommendation commands say so. */
  recommendations?: Recommendations;
  /** Where unexpected errors go; the member only ever sees a friendly message. */
  onError?: (error: unknown, query: Query) => void;
  /** How long a lookup answer is reused (see answer-cache.ts); 0 or absent: never. */
  answerCacheMs?: number;
}

/**
 * Commands that only read: their answers may be reused for a moment. A recommendation write
 * (the one command that changes anything) empties the cache.
 */
const READ_ONLY_COMMANDS = new Set(["skilltree", "tool", "search", "top", "radar", "help"]);

type Args = Record<string, string | undefined>;

export interface Choice {
  name: string;
  value: string;
}

export class Skilltree {
  private current: { taxonomy: Taxonomy; resolver: Resolver };
  private readonly cache: AnswerCache<Answer>;

  constructor(
    taxonomy: Taxonomy,
    private readonly options: CoreOptions = { defaultLocale: "en" },
  ) {
    this.current = { taxonomy, resolver: new Resolver(taxonomy) };
    this.cache = new AnswerCache({ ttlMs: options.answerCacheMs ?? 0 });
  }

  get taxonomy(): Taxonomy {
    return this.current.taxonomy;
  }

  /** Builds every search index now (a server, before it takes requests; see Resolver.warm). */
  warm(): void {
    this.current.resolver.warm();
  }

  get resolver(): Resolver {
    return this.current.resolver;
  }

  /**
   * Swaps in a new taxonomy (a reload). Indexes are built before the swap, so queries never see
   * a half-built state; queries already running finish on the data they started with.
   */
  replaceTaxonomy(taxonomy: Taxonomy): void {
    this.current = { taxonomy, resolver: new Resolver(taxonomy).warm() };
    this.cache.clear();
  }

  /** The answer's language: the caller's, else Chinese for Chinese text, else the default. */
  localeFor(query: Query): Locale {
    if (query.locale) return query.locale;
    // The command word counts too: "/帮助" is asked in Chinese.
    const text = [query.command, ...Object.values(query.args)].join(" ");
    return hasChinese(text) ? "zh-CN" : this.options.defaultLocale;
  }

  async answer(query: Query): Promise<Answer> {
    let locale = query.locale ?? this.options.defaultLocale;
    try {
      const answerLocale = this.localeFor(query);
      locale = answerLocale;
      // Built only when the answer is computed: a cache hit needs none of it.
      const ctx = () =>
        makeContext(this.taxonomy, this.resolver, answerLocale, {
          ...(this.options.recommendations ? { recs: this.options.recommendations } : {}),
          ...(query.member ? { member: query.member } : {}),
          ...(query.place ? { place: query.place } : {}),
          ...(query.syntax ? { syntax: query.syntax } : {}),
          onStoreError: (error) => this.options.onError?.(error, query),
        });
      if (!READ_ONLY_COMMANDS.has(query.command)) {
        try {
          return await this.dispatch(ctx(), query);
        } finally {
          if (query.command === "recommend") this.cache.clear();
        }
      }
      return await this.cache.get(cacheKey(query, answerLocale), () => this.dispatch(ctx(), query));
    } catch (error) {
      this.options.onError?.(error, query);
      const t = messages(locale);
      return errorAnswer({ t, locale }, "internal", t.errors.internal);
    }
  }

  /**
   * Choices for an option as the member types: `name` is the label (each adapter fits it to its
   * platform), `value` the entry as an id reference (`idRef`), which answer() resolves to that
   * entry alone: picking "Photon" opens Photon even though the name "photon" is ambiguous.
   * Free text that ignores the choices still resolves through answer() as a name.
   */
  autocomplete(kind: "tool" | "area", text: string, locale: Locale = this.options.defaultLocale): Choice[] {
    return this.resolver.autocomplete.suggest(kind, text).map(({ entry, matched }) => {
      const name = displayName(entry, locale);
      const alias = matched && nameKey(matched) !== nameKey(name) ? ` (${matched})` : "";
      const label =
        entry.type === "tool"
          ? `${name}${alias} · ${messages(locale).status[entry.status]}`
          : `${name}${alias}`;
      return { name: label, value: idRef(entry.id) };
    });
  }

  /**
   * Answers a button or menu click from its id (see actions.ts). `page` tells the renderer
   * which page of a long answer to show.
   */
  async answerAction(
    actionId: string,
    who: Omit<Query, "command" | "args">,
  ): Promise<{ answer: Answer; page: number }> {
    const action = decodeAction(actionId);
    if (!action) {
      const locale = who.locale ?? this.options.defaultLocale;
      const t = messages(locale);
      return { answer: errorAnswer({ t, locale }, "bad_option", t.rec.staleAction), page: 0 };
    }
    if (action.verb === "rec") {
      const locale = who.locale ?? this.options.defaultLocale;
      const tool = this.taxonomy.tool(action.id);
      if (tool)
        return {
          answer: stancePicker(
            makeContext(this.taxonomy, this.resolver, locale, who.syntax ? { syntax: who.syntax } : {}),
            tool,
          ),
          page: 0,
        };
    }
    const answer = await this.answer({ ...queryOf(action), ...who });
    return { answer, page: action.verb === "page" ? action.page : 0 };
  }

  private async dispatch(ctx: Context, query: Query): Promise<Answer> {
    const { t } = ctx;
    const command = findCommand(query.command);
    if (!command) {
      return errorAnswer(
        ctx,
        "unknown_command",
        t.errors.unknownCommand(`/${cleanInput(query.command).slice(0, 32)}`),
        t.errors.unknownCommandHint,
      );
    }
    const checked = checkedArgs(command, query.args);
    if (!checked.ok) return errorAnswer(ctx, "input_too_long", t.errors.tooLong(checked.tooLong));
    const { args } = checked;
    switch (command.name) {
      case "skilltree":
        return skilltreeCommand(ctx, args.area);
      case "tool":
        return args.name ? toolCommand(ctx, args.name) : errorAnswer(ctx, "empty_input", t.errors.emptyTool);
      case "search":
        return args.query
          ? searchCommand(ctx, args.query)
          : errorAnswer(ctx, "empty_input", t.errors.emptySearch);
      case "recommend":
        return recommendCommand(ctx, args);
      case "top":
        return topCommand(ctx, args.area, args.scope);
      case "radar":
        return radarCommand(ctx, args.scope);
      case "help":
        return helpCommand(ctx);
      default:
        return errorAnswer(ctx, "unknown_command", t.errors.unknownCommand(`/${command.name}`));
    }
  }
}

/** Each adapter's command syntax (made once per adapter), numbered for cache keys. */
const syntaxIds = new WeakMap<CommandSyntax, number>();
let lastSyntaxId = 0;

function syntaxIdOf(syntax: CommandSyntax | undefined): number {
  if (!syntax) return 0;
  let id = syntaxIds.get(syntax);
  if (id === undefined) {
    id = ++lastSyntaxId;
    syntaxIds.set(syntax, id);
  }
  return id;
}

/**
 * Everything a read-only answer depends on: the command, its options, the language, the channel
 * and how the platform names commands.
 */
function cacheKey(query: Query, locale: Locale): string {
  const { place } = query;
  return JSON.stringify([
    query.command,
    query.args,
    locale,
    place ? [place.platform, place.workspace, place.channel] : null,
    syntaxIdOf(query.syntax),
  ]);
}

/**
 * Options are cleaned and checked here, once, for every platform: length first (a cheap guard
 * before any work on a huge string), then emptiness. Names are width-folded; free text is not.
 */
function checkedArgs(
  command: CommandDeclaration,
  raw: Query["args"],
): { ok: true; args: Args } | { ok: false; tooLong: number } {
  const args: Args = {};
  for (const option of command.options) {
    const value = raw[option.name];
    if (value === undefined) continue;
    if (value.length > option.maxLength * 4) return { ok: false, tooLong: option.maxLength };
    const clean = option.verbatim ? cleanText(value) : cleanInput(value);
    if ([...clean].length > option.maxLength) return { ok: false, tooLong: option.maxLength };
    if (clean !== "") args[option.name] = option.choices ? clean.toLowerCase() : clean;
  }
  return { ok: true, args };
}
