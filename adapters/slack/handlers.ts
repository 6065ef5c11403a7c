/**
 * Slack events -> Query -> Answer -> reply. Slash commands are acknowledged within Slack's 3 s:
 * with the answer itself when it is ready in time (all lookups are), else empty, and the answer
 * follows through the command's response_url. Button clicks are acknowledged at once and
 * answered through their response_url. Everything a click needs is in its action_id and value.
 */
import type { App, RespondArguments, RespondFn, SlashCommand } from "@slack/bolt";
import { pagingOf as clickPaging, decodeAction } from "../../src/actions.js";
import type { Answer, Locale } from "../../src/answer.js";
import { parseArgs } from "../../src/commands/parse.js";
import { errorAnswer } from "../../src/commands/present.js";
import { memberIdOf } from "../../src/commands/recommend.js";
import type { Skilltree } from "../../src/core.js";
import { messages } from "../../src/i18n/messages.js";
import type { CommandSyntax, Member, Place, Query } from "../../src/query.js";
import { derivedOnce } from "../render-memo.js";
import type { AdapterLogger, HandledEvent } from "../types.js";
import { declaredCommandFor, slackCommandName } from "./commands.js";
import { deliveryKey, type SeenDeliveries } from "./deliveries.js";
import { decodeSlackEntities } from "./escape.js";
import type { ModeratorLookup, UsersInfoClient } from "./moderators.js";
import {
  type FollowUp,
  LINK_ACTION_PREFIX,
  parseButtonValue,
  type RenderOptions,
  renderAnswer,
} from "./render.js";

export interface HandlerContext {
  core: Skilltree;
  logger: AdapterLogger;
  onHandled?: (event: HandledEvent) => void;
  ackBudgetMs: number;
  commandPrefix: string;
  /** How members type commands here (see slackSyntax); passed to the core with every query. */
  syntax: CommandSyntax;
  moderators: ModeratorLookup;
  /** Deliveries already taken, so that Slack's retries are acked and not answered twice. */
  deliveries: SeenDeliveries;
  /** Runs one event's work and counts it as in flight until it settles (for stop()). */
  track<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * Commands as Slack members type them: /search is /skilltree-search, every name carries
 * SLACK_COMMAND_PREFIX, and options are one line of text. /help, footers and hints use it.
 */
export function slackSyntax(prefix: string): CommandSyntax {
  return { commandName: (name) => slackCommandName(name, prefix), oneLine: true };
}

/** Commands whose answer a Previous/Next button can ask for again (never /recommend). */
const PAGEABLE = new Set(["skilltree", "tool", "search", "top", "radar"]);
/** users.info gets at most this long, inside the ack budget. */
const MODERATOR_LOOKUP_MS = 1500;

export function registerHandlers(app: App, ctx: HandlerContext): void {
  app.command(/^\/.+/, async ({ command, ack, respond, client, context }) => {
    const label = declaredCommandFor(command.command, ctx.commandPrefix)?.name ?? "unknown";
    const key = deliveryKey("command", command.team_id, command.trigger_id);
    if (isRepeat(ctx, key, context.retryNum, context.retryReason, label)) {
      await ack();
      ctx.onHandled?.({ platform: "slack", command: label, outcome: "rejected", durationMs: 0 });
      return;
    }
    await ctx.track(() => onCommand(ctx, command, ack, respond, client));
  });

  app.action(/^st1:/, async ({ ack, body, action, respond, context }) => {
    await ctx.track(async () => {
      await ack();
      if (body.type !== "block_actions" || action.type !== "button" || !("action_id" in action)) {
        ctx.onHandled?.({ platform: "slack", command: "action", outcome: "rejected", durationMs: 0 });
        return;
      }
      const key = deliveryKey("action", body.team?.id ?? body.user.team_id, body.trigger_id);
      if (isRepeat(ctx, key, context.retryNum, context.retryReason, "action")) {
        ctx.onHandled?.({ platform: "slack", command: "action", outcome: "rejected", durationMs: 0 });
        return;
      }
      await onButton(ctx, { body, actionId: action.action_id, value: action.value, respond });
    });
  });

  // Link buttons open their URL in the browser; Slack still reports the click, which only needs an ack.
  app.action(new RegExp(`^${LINK_ACTION_PREFIX}`), async ({ ack }) => {
    const started = Date.now();
    await ack();
    ctx.onHandled?.({
      platform: "slack",
      command: "action",
      outcome: "ok",
      durationMs: Date.now() - started,
    });
  });

  app.error(async (error) => {
    ctx.logger.error({ platform: "slack", err: errorText(error) }, "slack event failed");
  });
}

/**
 * A delivery already taken (a retry Slack sent because our ack was late, or a replay): only
 * acknowledged. A retry of a delivery this process never saw is answered (see deliveries.ts).
 */
function isRepeat(
  ctx: HandlerContext,
  key: string | undefined,
  retryNum: number | undefined,
  retryReason: string | undefined,
  command: string,
): boolean {
  const retry = typeof retryNum === "number" && retryNum > 0;
  const repeat = key !== undefined && !ctx.deliveries.first(key);
  if (repeat) {
    ctx.logger.info(
      { platform: "slack", command, retryNum: retryNum ?? 0, retryReason: retryReason ?? "" },
      "slack redelivery acknowledged, not answered again",
    );
  } else if (retry) {
    ctx.logger.info(
      { platform: "slack", command, retryNum, retryReason: retryReason ?? "" },
      "slack retry of a delivery not seen here: answering it",
    );
  }
  return repeat;
}

// ---- Slash commands ----------------------------------------------------------------------------

type Ack = (response?: string | RespondArguments) => Promise<void>;

export interface ParsedCommand {
  query: Query;
  /** The member asked for a private answer ("hide"). */
  hidden: boolean;
  paging?: { command: string; arg: string };
}

/**
 * What the member typed -> Query, parsed as the console does. Slack sends the text
 * HTML-escaped; "hide" as the first word, or the last, asks for an answer only the member sees.
 * A command that ends in free text (a reason) takes a last "hide" only when nothing but a name
 * comes before it: "/recommend calico hide" hides, "/recommend weave hold nothing to hide" is a
 * reason.
 */
export function parseCommandText(name: string, rawText: string): ParsedCommand {
  const words = decodeSlackEntities(rawText).trim().split(/\s+/u).filter(Boolean);
  const command = declaredCommandFor(name)?.name ?? name;
  let hidden = false;
  if (words[0]?.toLowerCase() === "hide") {
    hidden = true;
    words.shift();
  } else if (words.length > 0 && words[words.length - 1]?.toLowerCase() === "hide") {
    const before = parseArgs(command, words.slice(0, -1).join(" "));
    if (!endsInFreeText(command) || onlyNames(command, before)) {
      hidden = true;
      words.pop();
    }
  }
  const query = parseArgs(command, words.join(" "));
  const paging = pagingOf(query);
  return { query, hidden, ...(paging ? { paging } : {}) };
}

function endsInFreeText(command: string): boolean {
  const options = declaredCommandFor(command)?.options ?? [];
  return options.some((o) => o.verbatim === true);
}

/** The query gives names only: no choice (a stance) and no free text (a reason). */
function onlyNames(command: string, query: Query): boolean {
  const options = declaredCommandFor(command)?.options ?? [];
  return options.every((o) => !(o.choices || o.verbatim) || query.args[o.name] === undefined);
}

/** The query again from a button: only commands whose one text argument is all there is. */
export function pagingOf(query: Query): { command: string; arg: string } | undefined {
  if (!PAGEABLE.has(query.command)) return undefined;
  const first = declaredCommandFor(query.command)?.options[0]?.name;
  const given = Object.entries(query.args).filter(([, v]) => v !== undefined);
  if (!first || given.some(([k]) => k !== first)) return undefined;
  return { command: query.command, arg: query.args[first] ?? "" };
}

async function onCommand(
  ctx: HandlerContext,
  command: SlashCommand,
  ack: Ack,
  respond: RespondFn,
  client: UsersInfoClient,
): Promise<void> {
  const started = Date.now();
  const remaining = () => ctx.ackBudgetMs - (Date.now() - started);
  const declared = declaredCommandFor(command.command, ctx.commandPrefix);
  const label = declared?.name ?? "unknown";
  let acked = false;
  let outcome: HandledEvent["outcome"] = "error";
  let locale: Locale | undefined;
  try {
    const parsed = parseCommandText(declared?.name ?? command.command.replace(/^\//, ""), command.text ?? "");
    const place = placeOf(command.team_id, command.enterprise_id, command.channel_id);
    const member: Member = { id: command.user_id, ...(command.user_name ? { name: command.user_name } : {}) };
    const query: Query = { ...parsed.query, member, ...(place ? { place } : {}), syntax: ctx.syntax };
    locale = ctx.core.localeFor(query);
    if (place && removesSomeoneElse(query, member.id)) {
      member.isModerator = await ctx.moderators.isModerator(
        client,
        place.workspace,
        member.id,
        Math.min(MODERATOR_LOOKUP_MS, remaining()),
      );
    }
    const pending = ctx.core.answer(query);
    const reply = (answer: Answer) => commandReply(answer, parsed.hidden, parsed.paging);
    const early = await settleWithin(pending, remaining());
    if (early) {
      await ack(reply(early));
      acked = true;
      outcome = outcomeOf(early);
    } else {
      // Too slow for the ack (a slow store): acknowledge now, answer through response_url.
      await ack();
      acked = true;
      const answer = await pending;
      await respond(reply(answer));
      outcome = outcomeOf(answer);
    }
  } catch (error) {
    outcome = "error";
    ctx.logger.error({ platform: "slack", command: label, err: errorText(error) }, "slack command failed");
    const fallback = commandReply(internalError(locale ?? "en"), true, undefined);
    try {
      if (acked) await respond(fallback);
      else await ack(fallback);
    } catch (again) {
      ctx.logger.error(
        { platform: "slack", command: label, err: errorText(again) },
        "slack error reply failed",
      );
    }
  } finally {
    ctx.onHandled?.({ platform: "slack", command: label, outcome, durationMs: Date.now() - started });
  }
}

/** "/recommend <tool> remove <@U…>" naming someone else: only then is users.info asked. */
function removesSomeoneElse(query: Query, actor: string): boolean {
  if (query.command !== "recommend" || query.args.stance !== "remove") return false;
  const target = query.args.member ?? query.args.reason;
  if (!target) return false;
  const id = memberIdOf(target);
  return id !== undefined && id !== actor;
}

type CommandReply = RespondArguments & { response_type: "in_channel" | "ephemeral" };

/**
 * Replies by rendered message: renderAnswer hands out the same message for a repeated answer,
 * and so this hands out the same reply, which the receiver then sends from bytes serialised once
 * (receiver.ts). Replies are read-only.
 */
const replyOnce = derivedOnce<CommandReply>();

function commandReply(answer: Answer, hidden: boolean, paging: RenderOptions["paging"]): CommandReply {
  const type = hidden || isPrivate(answer) ? "ephemeral" : "in_channel";
  const message = renderAnswer(answer, {
    page: 0,
    followUp: hidden ? "e" : "c",
    ...(paging ? { paging } : {}),
  });
  return replyOnce(message, type, () => ({ response_type: type, ...message }));
}

function isPrivate(answer: Answer): boolean {
  return answer.kind === "error" || answer.private === true;
}

// ---- Buttons -----------------------------------------------------------------------------------

interface ButtonClick {
  body: {
    user: { id: string; username?: string; name?: string; team_id?: string };
    team: { id: string } | null;
    enterprise?: { id: string };
    channel?: { id: string };
    container: Record<string, unknown>;
  };
  actionId: string;
  value: unknown;
  respond: RespondFn;
}

type Delivery = "replace" | "ephemeral" | "channel";

async function onButton(ctx: HandlerContext, click: ButtonClick): Promise<void> {
  const started = Date.now();
  const { body, actionId, respond } = click;
  const clicked = parseButtonValue(click.value);
  let outcome: HandledEvent["outcome"] = "error";
  try {
    const team = body.team?.id ?? body.user.team_id;
    const place = team && body.channel?.id ? placeOf(team, body.enterprise?.id, body.channel.id) : undefined;
    const name = body.user.username ?? body.user.name;
    const member: Member = { id: body.user.id, ...(name ? { name } : {}) };
    const who = {
      member,
      ...(place ? { place } : {}),
      ...(clicked.locale ? { locale: clicked.locale } : {}),
      syntax: ctx.syntax,
    };
    const { answer, page } = await ctx.core.answerAction(actionId, who);
    outcome = outcomeOf(answer);

    const action = decodeAction(actionId);
    const onEphemeral = body.container.is_ephemeral === true;
    let delivery: Delivery;
    if (answer.kind === "error") delivery = "ephemeral";
    else if (action?.verb === "page") delivery = "replace";
    else if (action?.verb === "recs") delivery = onEphemeral ? "replace" : "ephemeral";
    else if (action?.verb === "tool" || action?.verb === "area") {
      if (!onEphemeral) delivery = "ephemeral";
      else delivery = clicked.followUp === "c" && !isPrivate(answer) ? "channel" : "replace";
    } else delivery = "ephemeral";

    const paging = clickPaging(action);
    const followUp: FollowUp = delivery === "channel" ? "c" : delivery === "replace" ? clicked.followUp : "e";
    const message = renderAnswer(answer, { page, followUp, ...(paging ? { paging } : {}) });

    if (delivery === "replace") await respond({ replace_original: true, ...message });
    else if (delivery === "ephemeral")
      await respond({ response_type: "ephemeral", replace_original: false, ...message });
    else {
      // The member picked from a private choice: the answer goes to the channel, as the command would have.
      await respond({ response_type: "in_channel", replace_original: false, ...message });
      await respond({ delete_original: true }).catch((error: unknown) => {
        ctx.logger.warn({ platform: "slack", err: errorText(error) }, "could not remove the choice message");
      });
    }
  } catch (error) {
    outcome = "error";
    ctx.logger.error({ platform: "slack", command: "action", err: errorText(error) }, "slack button failed");
    const fallback = renderAnswer(internalError(clicked.locale ?? "en"));
    await respond({ response_type: "ephemeral", replace_original: false, ...fallback }).catch(
      (again: unknown) => {
        ctx.logger.error({ platform: "slack", err: errorText(again) }, "slack error reply failed");
      },
    );
  } finally {
    ctx.onHandled?.({ platform: "slack", command: "action", outcome, durationMs: Date.now() - started });
  }
}

// ---- Shared ------------------------------------------------------------------------------------

/** Workspace = team id, or "enterprise:team" inside an Enterprise Grid; channel = channel id. */
export function placeOf(
  team: string | undefined,
  enterprise: string | undefined,
  channel: string | undefined,
): Place | undefined {
  if (!team || !channel) return undefined;
  return { platform: "slack", workspace: enterprise ? `${enterprise}:${team}` : team, channel };
}

function outcomeOf(answer: Answer): HandledEvent["outcome"] {
  if (answer.kind === "error") return answer.error?.code === "internal" ? "error" : "rejected";
  if (answer.kind === "not_found" || answer.kind === "disambiguation") return "not_found";
  return "ok";
}

function internalError(locale: Locale): Answer {
  const t = messages(locale);
  return errorAnswer({ t, locale }, "internal", t.errors.internal);
}

/** The answer if it settles within `ms`, else undefined (the promise keeps running). */
async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  if (ms <= 0) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** An error's name and message, cut short: never a stack, a token or a member's full text. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/xox[a-z]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+/g, "[token]").slice(0, 300);
}
