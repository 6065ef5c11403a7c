/**
 * `npm start`: the composition root. With no platform configured it opens the console, which
 * needs no tokens, network or servers.
 */
import { ConfigError, loadDotenv } from "./config.js";
import { DataError } from "./taxonomy/load.js";

async function main(): Promise<void> {
  await loadDotenv();
  // Adapters load lazily so the console never pays for a platform library.
  const { openSession } = await import("../adapters/console/session.js");
  const { runRepl } = await import("../adapters/console/repl.js");
  const session = await openSession();
  try {
    await runRepl(session);
  } finally {
    await session.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof DataError || error instanceof ConfigError) {
    process.stderr.write(`skilltree: ${error.message}\n`);
  } else {
    process.stderr.write(
      `skilltree: could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
  process.exit(1);
});
