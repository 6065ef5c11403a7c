/**
 * The interactive console: a prompt with history, /help, and Ctrl-D (or "exit") to leave.
 * Piped input works too: each line is answered in turn.
 */
import { createInterface } from "node:readline";
import { parseLine } from "../../src/commands/parse.js";
import { renderText } from "./render.js";
import type { ConsoleSession } from "./session.js";

export interface ReplOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  colour?: boolean;
}

export async function runRepl(session: ConsoleSession, options: ReplOptions = {}): Promise<void> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const interactive = Boolean((input as { isTTY?: boolean }).isTTY);
  const colour = options.colour ?? (interactive && Boolean((output as { isTTY?: boolean }).isTTY));
  const rl = createInterface({
    input,
    output,
    terminal: interactive,
    historySize: 200,
    prompt: "skilltree> ",
  });
  const write = (text: string) => output.write(`${text}\n`);

  if (interactive) {
    write(
      "Skilltree: the container ecosystem at a glance. Try /skilltree, /tool k8s, /search 日志. /help for more; Ctrl-D to quit.",
    );
    rl.prompt();
  }
  for await (const line of rl) {
    const text = line.trim();
    if (text === "exit" || text === "quit" || text === "/exit" || text === "/quit") break;
    if (text !== "") {
      const answer = await session.core.answer({
        ...parseLine(text),
        member: session.member,
        place: session.place,
        syntax: session.syntax,
      });
      write(`${renderText(answer, colour)}\n`);
    }
    if (interactive) rl.prompt();
  }
  rl.close();
}
