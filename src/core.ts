/**
 * The core: takes a Query, returns an Answer. It never throws to an adapter and never
 * answers with silence: bad input gets a clear message in the member's language.
 */
import type { Answer, Locale } from "./answer.js";
import { type Context, makeContext } from "./commands/context.js";
import { findCommand } from "./commands/declarations.js";
import { helpCommand } from "./commands/help.js";
import { errorAnswer } from "./commands/present.js";
import { searchCommand } from "./commands/search.js";
import { skilltreeCommand } from "./commands/skilltree.js";
import { toolCommand } from "./commands/tool.js";
import { messages } from "./i18n/messages.js";
import type { Query } from "./query.js";
import { Resolver } from "./search/resolve.js";
import type { Taxonomy } from "./taxonomy/model.js";
import { cleanInput, hasChinese } from "./text/normalize.js";

export interface CoreOptions {
  /** The language when neither the platform nor the text says otherwise. */
  defaultLocale: Locale;
  /** Where unexpected errors go; the member only ever sees a friendly message. */
  onError?: (error: unknown, query: Query) => void;
}

export class Skilltree {
  readonly resolver: Resolver;

  constructor(
    readonly taxonomy: Taxonomy,
    private readonly options: CoreOptions = { defaultLocale: "en" },
  ) {
    this.resolver = new Resolver(taxonomy);
  }

  /** The answer's language: the caller's, else Chinese for Chinese text, else the default. */
  localeFor(query: Query): Locale {
    if (query.locale) return query.locale;
    const text = Object.values(query.args).join(" ");
    return hasChinese(text) ? "zh-CN" : this.options.defaultLocale;
  }

  answer(query: Query): Answer {
    let locale = query.locale ?? this.options.defaultLocale;
    try {
      locale = this.localeFor(query);
      return this.dispatch(makeContext(this.taxonomy, this.resolver, locale), query);
    } catch (error) {
      this.options.onError?.(error, query);
      const t = messages(locale);
      return errorAnswer({ t, locale }, "internal", t.errors.internal);
    }
  }

  private dispatch(ctx: Context, query: Query): Answer {
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
    // Options are checked here, once, for every platform: length first, then emptiness.
    const args: Record<string, string | undefined> = {};
    for (const option of command.options) {
      const raw = query.args[option.name];
      if (raw !== undefined && raw.length > option.maxLength * 4) {
        return errorAnswer(ctx, "input_too_long", t.errors.tooLong(option.maxLength));
      }
      const value = raw === undefined ? undefined : cleanInput(raw);
      if (value !== undefined && value.length > option.maxLength) {
        return errorAnswer(ctx, "input_too_long", t.errors.tooLong(option.maxLength));
      }
      args[option.name] = value === "" ? undefined : value;
    }
    switch (command.name) {
      case "skilltree":
        return skilltreeCommand(ctx, args.area);
      case "tool":
        return args.name ? toolCommand(ctx, args.name) : errorAnswer(ctx, "empty_input", t.errors.emptyTool);
      case "search":
        return args.query
          ? searchCommand(ctx, args.query)
          : errorAnswer(ctx, "empty_input", t.errors.emptySearch);
      case "help":
        return helpCommand(ctx);
      default:
        return errorAnswer(ctx, "unknown_command", t.errors.unknownCommand(`/${command.name}`));
    }
  }
}
