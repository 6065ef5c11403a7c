/**
 * One interaction payload (the same JSON over the gateway and over HTTP) -> a Query -> the
 * core -> a rendered reply, sent through a Transport. Gateway and HTTP modes differ only in how
 * the first response leaves (a REST callback, or the HTTP response itself).
 *
 * Answers ready within `deferAfterMs` go out as the first response (type 4, 7 or 8); slower
 * ones are deferred (type 5 or 6) and delivered by editing the original response.
 */
import type { REST } from "@discordjs/rest";
import {
  type APIInteractionResponse,
  ComponentType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  PermissionFlagsBits,
  Routes,
} from "discord-api-types/v10";
import { type ActionId, decodeAction, encodeAction, pageOption, pagingOf } from "../../src/actions.js";
import type { Answer, Locale } from "../../src/answer.js";
import { findCommand } from "../../src/commands/declarations.js";
import { errorAnswer } from "../../src/commands/present.js";
import type { Skilltree } from "../../src/core.js";
import { messages } from "../../src/i18n/messages.js";
import type { Member, Place, Query } from "../../src/query.js";
import { derivedOnce } from "../render-memo.js";
import type { AdapterLogger, HandledEvent } from "../types.js";
import { HIDE_OPTION } from "./commands.js";
import {
  type CommandData,
  commandData,
  componentData,
  type Interaction,
  type RawOption,
  readInteraction,
} from "./payload.js";
import { type MessageData, type Pager, type Rendered, renderAnswer, renderChoices } from "./render.js";

// ---------------------------------------------------------------------------------------------
// Interaction -> Query.

/**
 * The answer language from the member's Discord locale: English for en-US and en-GB, Simplified
 * Chinese for zh-CN and also for zh-TW (there is no Traditional Chinese catalogue, and
 * Simplified is closer to it than English). Any other locale gives none, so the core answers
 * Chinese questions in Chinese and the rest in SKILLTREE_LOCALE.
 */
export function localeOf(discordLocale: string | undefined): Locale | undefined {
  const tag = discordLocale?.toLowerCase();
  if (tag === undefined) return undefined;
  if (tag === "zh" || tag.startsWith("zh-")) return "zh-CN";
  if (tag === "en" || tag.startsWith("en-")) return "en";
  return undefined;
}

const MANAGE_MESSAGES = PermissionFlagsBits.ManageMessages;

function canModerate(permissions: string | undefined): boolean {
  if (!permissions || !/^\d{1,25}$/.test(permissions)) return false;
  return (BigInt(permissions) & MANAGE_MESSAGES) === MANAGE_MESSAGES;
}

/** Who asked and where: a guild channel, or "dm:<user id>" for direct messages. */
export function whoOf(i: Interaction): Omit<Query, "command" | "args"> {
  const locale = localeOf(i.locale);
  const user = i.member?.user ?? i.user;
  if (!user) return locale ? { locale } : {};
  const member: Member = {
    id: user.id,
    name: i.member?.nick || user.global_name || user.username || user.id,
    isModerator: canModerate(i.member?.permissions),
  };
  const channel = i.channel?.id ?? i.channel_id;
  const place: Place | undefined = channel
    ? { platform: "discord", workspace: i.guild_id ?? `dm:${user.id}`, channel }
    : undefined;
  return { member, ...(place ? { place } : {}), ...(locale ? { locale } : {}) };
}

function flatOptions(options: readonly RawOption[] | undefined): RawOption[] {
  return (options ?? []).flatMap((o) => [o, ...flatOptions(o.options)]);
}

/** Option values by name (as text, as the core expects) and the `hide` flag. */
export function argsOf(options: readonly RawOption[] | undefined): {
  args: Record<string, string>;
  hide: boolean;
} {
  const args: Record<string, string> = {};
  let hide = false;
  for (const option of flatOptions(options)) {
    if (option.name === HIDE_OPTION) hide = option.value === true;
    else if (option.value !== undefined) args[option.name] = String(option.value);
  }
  return { args, hide };
}

/**
 * The pager for a command's answer: possible when the command can be paged (src/actions.ts,
 * from the declarations) and its only given option, if any, is its first one.
 */
export function pagerOf(command: string, args: Record<string, string>): Pager | undefined {
  const paged = pageOption(command);
  if (!paged) return undefined;
  const { option } = paged;
  if (Object.keys(args).some((n) => n !== option)) return undefined;
  return { command, arg: option ? (args[option] ?? "") : "" };
}

// ---------------------------------------------------------------------------------------------
// Responding.

/** How the first response leaves; everything after it goes through Discord's webhook routes. */
export interface Transport {
  respond(interaction: Interaction, body: APIInteractionResponse): Promise<void>;
  /** Discord's REST API (its base URL configurable); interaction webhooks need no bot token. */
  rest: REST;
}

export interface HandlerContext {
  core: Skilltree;
  logger: AdapterLogger;
  onHandled?: ((event: HandledEvent) => void) | undefined;
  deferAfterMs: number;
}

type Body = MessageData & { flags?: number };

/** What the first response was: a message or an update, or a deferral still to be filled. */
type First = "none" | "message" | "deferred-public" | "deferred-private" | "deferred-update";

class Exchange {
  first: First = "none";
  /** The public "thinking…" of a deferral has been removed already. */
  originalDeleted = false;

  constructor(
    readonly interaction: Interaction,
    private readonly transport: Transport,
  ) {}

  get responded(): boolean {
    return this.first !== "none";
  }

  async respond(body: APIInteractionResponse): Promise<void> {
    if (body.type === InteractionResponseType.DeferredChannelMessageWithSource) {
      const flags = body.data?.flags ?? 0;
      this.first = (flags & MessageFlags.Ephemeral) !== 0 ? "deferred-private" : "deferred-public";
    } else if (body.type === InteractionResponseType.DeferredMessageUpdate) {
      this.first = "deferred-update";
    } else {
      this.first = "message";
    }
    await this.transport.respond(this.interaction, body);
  }

  async editOriginal(data: MessageData): Promise<void> {
    const { application_id, token } = this.interaction;
    await this.transport.rest.patch(Routes.webhookMessage(application_id, token, "@original"), {
      body: data,
      auth: false,
    });
  }

  async deleteOriginal(): Promise<void> {
    const { application_id, token } = this.interaction;
    await this.transport.rest.delete(Routes.webhookMessage(application_id, token, "@original"), {
      auth: false,
    });
    this.originalDeleted = true;
  }

  async followup(body: Body): Promise<void> {
    const { application_id, token } = this.interaction;
    await this.transport.rest.post(Routes.webhook(application_id, token), { body, auth: false });
  }
}

/** Private copies, one per rendered message, so a repeated private answer is the same object too. */
const privateCopy = derivedOnce<Body>();

const ephemeral = (r: Rendered): Body =>
  privateCopy(r.data, "", () => ({ ...r.data, flags: MessageFlags.Ephemeral }));
const asReply = (r: Rendered): Body => (r.ephemeral ? ephemeral(r) : r.data);

const SLOW = Symbol("slow");

async function within<T>(work: Promise<T>, ms: number): Promise<T | typeof SLOW> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof SLOW>((resolve) => {
    timer = setTimeout(() => resolve(SLOW), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface Result extends Rendered {
  answer: Answer;
}

interface Plan {
  /** "reply": a new message (type 4 / 5); "update": edit the clicked message (type 7 / 6). */
  kind: "reply" | "update";
  /** For "reply": whether a deferred reply is private (the answer may still turn out private). */
  hide: boolean;
  /** For "update": whether this answer may replace the clicked message. */
  canUpdate?: (r: Result) => boolean;
}

/** Sends a rendered answer: at once when ready in time, else deferred and then edited in. */
async function deliver(
  ex: Exchange,
  work: Promise<Result>,
  plan: Plan,
  deferAfterMs: number,
): Promise<Result> {
  const update = (r: Result) => plan.kind === "update" && (plan.canUpdate?.(r) ?? false);
  const first = await within(work, deferAfterMs);
  if (first !== SLOW) {
    if (update(first)) await ex.respond({ type: InteractionResponseType.UpdateMessage, data: first.data });
    else
      await ex.respond({
        type: InteractionResponseType.ChannelMessageWithSource,
        data: plan.kind === "update" ? ephemeral(first) : asReply(first),
      });
    return first;
  }
  if (plan.kind === "update") {
    await ex.respond({ type: InteractionResponseType.DeferredMessageUpdate });
    const rendered = await work;
    if (update(rendered)) await ex.editOriginal(rendered.data);
    else await ex.followup(ephemeral(rendered));
    return rendered;
  }
  await ex.respond({
    type: InteractionResponseType.DeferredChannelMessageWithSource,
    data: plan.hide ? { flags: MessageFlags.Ephemeral } : {},
  });
  const rendered = await work;
  if (rendered.ephemeral && !plan.hide) {
    // A public "thinking…" cannot become private: remove it and answer privately instead.
    await ex.deleteOriginal();
    await ex.followup(ephemeral(rendered));
  } else {
    await ex.editOriginal(rendered.data);
  }
  return rendered;
}

function outcomeOf(answer: Answer): HandledEvent["outcome"] {
  return answer.kind === "error" ? "error" : answer.kind === "not_found" ? "not_found" : "ok";
}

/** A short description of an error for logs: no member text, no tokens. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: typeof error };
  const extra = error as Error & { code?: unknown; status?: unknown };
  return {
    error: error.name,
    message: error.message.slice(0, 200),
    ...(typeof extra.code === "number" || typeof extra.code === "string" ? { code: extra.code } : {}),
    ...(typeof extra.status === "number" ? { status: extra.status } : {}),
  };
}

function internalError(locale: Locale): Answer {
  const t = messages(locale);
  return errorAnswer({ t, locale }, "internal", t.errors.internal);
}

export type HandleResult = "handled" | "invalid";

/**
 * Handles one interaction payload. Resolves once everything is sent (deferred work included);
 * never throws. "invalid" means the payload is not an interaction at all (nothing was sent).
 */
export async function handleInteraction(
  raw: unknown,
  transport: Transport,
  ctx: HandlerContext,
): Promise<HandleResult> {
  const i = readInteraction(raw);
  if (!i) {
    ctx.logger.warn({ platform: "discord" }, "ignored a payload that is not an interaction");
    return "invalid";
  }
  const started = performance.now();
  const ex = new Exchange(i, transport);
  let command = "interaction";
  const report = (outcome: HandledEvent["outcome"]) =>
    ctx.onHandled?.({ platform: "discord", command, outcome, durationMs: performance.now() - started });
  try {
    switch (i.type) {
      case InteractionType.Ping:
        await ex.respond({ type: InteractionResponseType.Pong });
        return "handled";
      case InteractionType.ApplicationCommandAutocomplete:
        command = "autocomplete";
        await autocomplete(ex, ctx);
        report("ok");
        return "handled";
      case InteractionType.ApplicationCommand: {
        const data = commandData(i.data);
        command = data && findCommand(data.name) ? data.name : "unknown";
        const rendered = await runCommand(ex, ctx, data);
        report(outcomeOf(rendered.answer));
        return "handled";
      }
      case InteractionType.MessageComponent: {
        command = "action";
        const rendered = await runComponent(ex, ctx);
        report(outcomeOf(rendered.answer));
        return "handled";
      }
      default: {
        command = "action";
        const { answer } = await ctx.core.answerAction("", whoOf(i));
        await ex.respond({
          type: InteractionResponseType.ChannelMessageWithSource,
          data: ephemeral(renderAnswer(answer)),
        });
        report("rejected");
        return "handled";
      }
    }
  } catch (error) {
    ctx.logger.error(
      { platform: "discord", command, interactionType: i.type, ...describeError(error) },
      "discord interaction failed",
    );
    await apologise(ex, ctx);
    report("error");
    return "handled";
  }
}

/**
 * After an unexpected error: a friendly private message, if Discord still takes one. After a
 * public deferral, the public "thinking…" must not stay behind in the channel: it is removed
 * first (a deferred reply cannot become private), then the message follows privately. After a
 * private deferral, the placeholder itself becomes the message.
 */
async function apologise(ex: Exchange, ctx: HandlerContext): Promise<void> {
  const i = ex.interaction;
  const rendered = renderAnswer(internalError(localeOf(i.locale) ?? "en"));
  const body = ephemeral(rendered);
  const warn = (what: string) => (error: unknown) =>
    ctx.logger.warn({ platform: "discord", ...describeError(error) }, what);
  try {
    if (i.type === InteractionType.ApplicationCommandAutocomplete) {
      if (!ex.responded) {
        await ex.respond({
          type: InteractionResponseType.ApplicationCommandAutocompleteResult,
          data: { choices: [] },
        });
      }
      return;
    }
    switch (ex.first) {
      case "none":
        await ex.respond({ type: InteractionResponseType.ChannelMessageWithSource, data: body });
        return;
      case "deferred-public":
        if (!ex.originalDeleted)
          await ex.deleteOriginal().catch(warn("could not remove the public placeholder"));
        await ex.followup(body);
        return;
      case "deferred-private":
        await ex.editOriginal(rendered.data);
        return;
      default:
        await ex.followup(body);
    }
  } catch (error) {
    warn("could not send the error reply")(error);
  }
}

async function autocomplete(ex: Exchange, ctx: HandlerContext): Promise<void> {
  const i = ex.interaction;
  const data = commandData(i.data);
  const focused = data ? flatOptions(data.options).find((o) => o.focused) : undefined;
  const declared =
    data && focused ? findCommand(data.name)?.options.find((o) => o.name === focused.name) : undefined;
  const text = typeof focused?.value === "string" ? focused.value : "";
  const discordLocale = localeOf(i.locale);
  const locale = ctx.core.localeFor({
    command: data?.name ?? "",
    args: { text },
    ...(discordLocale ? { locale: discordLocale } : {}),
  });
  const choices = declared?.autocomplete ? ctx.core.autocomplete(declared.autocomplete, text, locale) : [];
  await ex.respond({
    type: InteractionResponseType.ApplicationCommandAutocompleteResult,
    data: { choices: renderChoices(choices) },
  });
}

/**
 * Said when a command's own data cannot be read (no `data`, no name, malformed options): not
 * "there is no command /", which would blame the member. Only Discord can send such a payload,
 * so the words live with the adapter.
 */
const UNREADABLE_COMMAND: Record<Locale, string> = {
  en: "I couldn't read this command: it arrived incomplete. Please try it again.",
  "zh-CN": "无法读取这条命令：收到的内容不完整。请再试一次。",
};

async function runCommand(ex: Exchange, ctx: HandlerContext, data: CommandData | undefined): Promise<Result> {
  const who = whoOf(ex.interaction);
  if (!data) {
    const locale = ctx.core.localeFor({ command: "", args: {}, ...who });
    const answer = errorAnswer({ t: messages(locale), locale }, "bad_option", UNREADABLE_COMMAND[locale]);
    const rendered = { answer, ...renderAnswer(answer) };
    await ex.respond({ type: InteractionResponseType.ChannelMessageWithSource, data: ephemeral(rendered) });
    return rendered;
  }
  const { args, hide } = argsOf(data.options);
  const query: Query = { command: data.name, args, ...who };
  const pager = pagerOf(query.command, args);
  const work = ctx.core.answer(query).then((answer) => ({
    answer,
    ...renderAnswer(answer, { ...(pager ? { pager } : {}), ephemeral: hide }),
  }));
  return deliver(ex, work, { kind: "reply", hide }, ctx.deferAfterMs);
}

async function runComponent(ex: Exchange, ctx: HandlerContext): Promise<Result> {
  const i = ex.interaction;
  const who = whoOf(i);
  const data = componentData(i.data);
  const customId = data?.custom_id ?? "";
  const action = decodeAction(customId);
  const messageIsPrivate = ((i.message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
  const invoker = i.message?.interaction_metadata?.user?.id ?? i.message?.interaction?.user?.id;
  const byInvoker = invoker !== undefined && invoker === who.member?.id;

  // A select menu: its custom id names the command, the chosen value is the entry id. The
  // choice is answered as the button of that entry would be (by id, through the core), and
  // privately.
  if (data?.component_type === ComponentType.StringSelect) {
    const chosen = selectedAction(action, data.values?.[0]);
    if (chosen) {
      const pager = pagingOf(chosen);
      const work = ctx.core.answerAction(encodeAction(chosen) ?? "", who).then(({ answer, page }) => ({
        answer,
        ...renderAnswer(answer, { page, ...(pager ? { pager } : {}), ephemeral: true }),
      }));
      return deliver(ex, work, { kind: "reply", hide: true }, ctx.deferAfterMs);
    }
  }

  // Clicks answer privately: browsing from someone's message does not post in the channel.
  // Paging edits the message in place for the member who asked (or in a private message);
  // a stance button replaces the private stance picker with what was recorded.
  let plan: Plan = { kind: "reply", hide: true };
  if (action?.verb === "page" && (messageIsPrivate || byInvoker)) {
    plan = {
      kind: "update",
      hide: true,
      // A public message only ever shows public answers.
      canUpdate: (r) => r.answer.kind !== "error" && (messageIsPrivate || !r.ephemeral),
    };
  } else if (action?.verb === "recs" && messageIsPrivate) {
    plan = { kind: "update", hide: true, canUpdate: (r) => r.answer.kind !== "error" };
  }
  const pager: Pager | undefined = pagingOf(action);
  const work = ctx.core.answerAction(customId, who).then(({ answer, page }) => ({
    answer,
    ...renderAnswer(answer, { page, ...(pager ? { pager } : {}), ephemeral: plan.kind === "reply" }),
  }));
  return deliver(ex, work, plan, ctx.deferAfterMs);
}

/** The action a select menu's choice stands for: its entry, opened by id. */
function selectedAction(menu: ActionId | undefined, value: string | undefined): ActionId | undefined {
  if (menu?.verb !== "page" || !value) return undefined;
  if (menu.command === "skilltree") return { verb: "area", id: value };
  if (menu.command === "tool") return { verb: "tool", id: value };
  return undefined;
}
