/** `/help`: generated from the command declarations, in the caller's language and platform syntax. */
import type { Answer } from "../answer.js";
import { pick } from "../i18n/messages.js";
import type { CommandSyntax } from "../query.js";
import { type Context, slash } from "./context.js";
import { COMMANDS, type CommandDeclaration, findCommand } from "./declarations.js";

export function helpCommand(ctx: Context): Answer {
  const { t, locale } = ctx;
  const commands = COMMANDS as readonly CommandDeclaration[];
  return {
    kind: "help",
    locale,
    title: t.help.title,
    blocks: [
      { type: "text", text: t.help.intro },
      {
        type: "fields",
        fields: commands.map((c) => ({
          name: usage(c, ctx.syntax),
          value: [
            pick(c.description, locale),
            ...memberUsages(c, ctx),
            c.examples.map((e) => renamed(e, ctx)).join("  ·  "),
          ].join("\n"),
        })),
      },
      { type: "text", text: t.help.tips },
    ],
    actions: [],
  };
}

/**
 * "/recommend <tool> [stance] [reason] [member]". Where options are typed as one line of text
 * (Slack), a member option is no option of its own: it is left out here and shown by
 * memberUsages() as the word it is.
 */
export function usage(command: CommandDeclaration, syntax?: CommandSyntax): string {
  const options = command.options
    .filter((o) => !(syntax?.oneLine && o.member))
    .map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`));
  return [slash({ ...(syntax ? { syntax } : {}) }, command.name), ...options].join(" ");
}

/**
 * One line per member option, typed as the word after "remove" ("/recommend <tool> remove
 * <member> — Moderators: whose recommendation to remove"). Empty unless options are typed as
 * one line.
 */
function memberUsages(command: CommandDeclaration, ctx: Pick<Context, "syntax" | "locale">): string[] {
  const { syntax, locale } = ctx;
  if (!syntax?.oneLine) return [];
  const members = command.options.filter((o) => o.member);
  const choice = command.options.find((o) => o.choices?.some((c) => c.value === "remove"));
  if (members.length === 0 || !choice) return [];
  const before = command.options
    .slice(0, command.options.indexOf(choice))
    .filter((o) => o.required)
    .map((o) => `<${o.name}>`);
  const head = [slash({ syntax }, command.name), ...before, "remove"].join(" ");
  return members.map((m) => `${head} <${m.name}> — ${pick(m.description, locale)}`);
}

/** An example such as "/search 日志收集" with the command's name on this platform. */
function renamed(example: string, ctx: Pick<Context, "syntax">): string {
  return example.replace(/^\/([a-z]+)(?=\s|$)/, (whole, name: string) =>
    findCommand(name) ? slash(ctx, name) : whole,
  );
}
