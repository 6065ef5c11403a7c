/**
 * An interaction payload, read at the edge: only the fields the adapter uses, each bounded.
 *
 * Only what every interaction must have is required (id, application_id, type, token: without
 * them there is nobody to answer). Everything else is tolerated: a field that is missing,
 * malformed or oversized reads as absent, so an odd payload (a member without a user, a locale
 * Discord adds tomorrow) still gets an answer instead of being dropped. A command's or a
 * component's own data is read strictly, since a half-read command would answer something else.
 *
 * Hand-written rather than zod: this runs on every request of the interactions endpoint, and
 * the zod schemas it replaced took about a seventh of the endpoint's throughput
 * (docs/benchmarks.md). The rules are few and tested in test/discord-payload.test.ts.
 */

export interface DiscordUser {
  id: string;
  username?: string | undefined;
  global_name?: string | null | undefined;
}

export interface Interaction {
  id: string;
  application_id: string;
  type: number;
  token: string;
  guild_id?: string | undefined;
  channel_id?: string | undefined;
  channel?: { id: string } | undefined;
  member?:
    | {
        user?: DiscordUser | undefined;
        nick?: string | null | undefined;
        permissions?: string | undefined;
      }
    | undefined;
  user?: DiscordUser | undefined;
  locale?: string | undefined;
  /** Read by commandData() or componentData(), depending on the type. */
  data?: unknown;
  message?:
    | {
        flags?: number | undefined;
        interaction_metadata?: { user?: { id: string } | undefined } | undefined;
        interaction?: { user?: { id: string } | undefined } | undefined;
      }
    | undefined;
}

export interface RawOption {
  name: string;
  type: number;
  value?: string | number | boolean | undefined;
  focused?: boolean | undefined;
  options?: RawOption[] | undefined;
}

export interface CommandData {
  name: string;
  options?: RawOption[] | undefined;
}

export interface ComponentData {
  custom_id: string;
  component_type: number;
  values?: string[] | undefined;
}

/** Discord's own caps: 25 options per level, 25 values per select menu. */
const MAX_ITEMS = 25;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown, max: number, min = 0): string | undefined {
  return typeof value === "string" && value.length >= min && value.length <= max ? value : undefined;
}

function int(value: unknown): number | undefined {
  return Number.isSafeInteger(value) ? (value as number) : undefined;
}

const snowflake = (value: unknown) => text(value, 64, 1);

/** `null` kept (Discord's "not set"), anything else unreadable as absent. */
function nullableText(value: unknown, max: number): string | null | undefined {
  return value === null ? null : text(value, max);
}

function withId(value: unknown): { id: string } | undefined {
  if (!isObject(value)) return undefined;
  const id = snowflake(value.id);
  return id === undefined ? undefined : { id };
}

function user(value: unknown): DiscordUser | undefined {
  if (!isObject(value)) return undefined;
  const id = snowflake(value.id);
  if (id === undefined) return undefined;
  return { id, username: text(value.username, 100), global_name: nullableText(value.global_name, 100) };
}

function invoker(value: unknown): { user?: { id: string } | undefined } | undefined {
  return isObject(value) ? { user: withId(value.user) } : undefined;
}

/** The interaction, or undefined when it lacks what every interaction has. */
export function readInteraction(raw: unknown): Interaction | undefined {
  if (!isObject(raw)) return undefined;
  const id = snowflake(raw.id);
  const application_id = snowflake(raw.application_id);
  const type = int(raw.type);
  const token = text(raw.token, 1000, 1);
  if (id === undefined || application_id === undefined || type === undefined || token === undefined) {
    return undefined;
  }
  const { member, message } = raw;
  return {
    id,
    application_id,
    type,
    token,
    guild_id: snowflake(raw.guild_id),
    channel_id: snowflake(raw.channel_id),
    channel: withId(raw.channel),
    member: isObject(member)
      ? {
          user: user(member.user),
          nick: nullableText(member.nick, 100),
          permissions: text(member.permissions, 32),
        }
      : undefined,
    user: user(raw.user),
    locale: text(raw.locale, 64),
    data: raw.data,
    message: isObject(message)
      ? {
          flags: int(message.flags),
          interaction_metadata: invoker(message.interaction_metadata),
          interaction: invoker(message.interaction),
        }
      : undefined,
  };
}

const NOT_READABLE = Symbol("not readable");

/** Options strictly: one unreadable option (at any depth) makes the whole list unreadable. */
function options(value: unknown, depth = 0): RawOption[] | undefined | typeof NOT_READABLE {
  if (value === undefined) return undefined;
  // Discord nests at most subcommand group > subcommand > option.
  if (!Array.isArray(value) || value.length > MAX_ITEMS || depth > 3) return NOT_READABLE;
  const read: RawOption[] = [];
  for (const item of value) {
    if (!isObject(item)) return NOT_READABLE;
    const name = text(item.name, 32);
    const type = int(item.type);
    const { value: given, focused } = item;
    const nested = options(item.options, depth + 1);
    if (name === undefined || type === undefined || nested === NOT_READABLE) return NOT_READABLE;
    const valueOk =
      given === undefined ||
      typeof given === "string" ||
      typeof given === "boolean" ||
      (typeof given === "number" && Number.isFinite(given));
    if (!valueOk || (focused !== undefined && typeof focused !== "boolean")) return NOT_READABLE;
    const option: RawOption = { name, type };
    if (given !== undefined) option.value = given as RawOption["value"];
    if (focused !== undefined) option.focused = focused as boolean;
    if (nested !== undefined) option.options = nested;
    read.push(option);
  }
  return read;
}

/** A slash command's (or an autocomplete's) data, or undefined when it cannot be read. */
export function commandData(data: unknown): CommandData | undefined {
  if (!isObject(data)) return undefined;
  const name = text(data.name, 32, 1);
  const read = options(data.options);
  if (name === undefined || read === NOT_READABLE) return undefined;
  return read === undefined ? { name } : { name, options: read };
}

/** A button's or a select menu's data, or undefined when it cannot be read. */
export function componentData(data: unknown): ComponentData | undefined {
  if (!isObject(data)) return undefined;
  const custom_id = text(data.custom_id, 100);
  const component_type = int(data.component_type);
  if (custom_id === undefined || component_type === undefined) return undefined;
  const { values } = data;
  if (values === undefined) return { custom_id, component_type };
  if (!Array.isArray(values) || values.length > MAX_ITEMS) return undefined;
  if (!values.every((v) => text(v, 100) !== undefined)) return undefined;
  return { custom_id, component_type, values: values as string[] };
}
