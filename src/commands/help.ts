/** `/help`: generated from the command declarations, in the caller's language. */
import type { Answer } from "../answer.js";
import { pick } from "../i18n/messages.js";
import type { Context } from "./context.js";
import { COMMANDS, type CommandDeclaration } from "./declarations.js";

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
          name: usage(c),
          value: `${pick(c.description, locale)}\n${c.examples.join("  ·  ")}`,
        })),
      },
      { type: "text", text: t.help.tips },
    ],
    actions: [],
  };
}

export function usage(command: CommandDeclaration): string {
  const options = command.options.map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`));
  return [`/${command.name}`, ...options].join(" ");
}
