/**
 * `npm run ask -- "/tool calico"`: one answer, then exit. `--json` prints the Answer model
 * (the stable scripting interface documented in the README); `--locale` picks the language.
 * Exit codes: 0 for any answer (not_found included), 2 for bad use of this command line.
 */
import { parseArgs } from "node:util";
import { LOCALES, type Locale } from "../../src/answer.js";
import { parseLine } from "../../src/commands/parse.js";
import { ConfigError, loadDotenv } from "../../src/config.js";
import { DataError } from "../../src/taxonomy/errors.js";
import { renderText } from "./render.js";
import { openSession } from "./session.js";

const USAGE = `Usage: npm run ask -- [--json] [--locale en|zh-CN] "/command [arguments]"
Examples:
  npm run ask -- "/tool calico"
  npm run ask -- --json "/skilltree networking"
  npm run ask -- --locale zh-CN "/tool rkt"`;

function usageError(message: string): never {
  process.stderr.write(`ask: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const locale = values.locale;
  if (locale !== undefined && !LOCALES.includes(locale as Locale)) {
    usageError(`--locale must be one of ${LOCALES.join(", ")}`);
  }
  const line = positionals.join(" ").trim();
  if (line === "") usageError("give a command to answer");

  await loadDotenv();
  const session = await openSession();
  const query = { ...parseLine(line), member: session.member, place: session.place, syntax: session.syntax };
  const answer = await session.core.answer(locale ? { ...query, locale: locale as Locale } : query);
  await session.close();
  if (values.json) process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
  else process.stdout.write(`${renderText(answer, Boolean(process.stdout.isTTY))}\n`);
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      locale: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    // One line per bad variable.
    for (const line of error.problems) process.stderr.write(`skilltree: ${line}\n`);
    process.exit(1);
  }
  if (error instanceof DataError) {
    process.stderr.write(`skilltree: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(
    `skilltree: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
