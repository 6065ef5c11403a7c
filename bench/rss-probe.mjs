// Loads the compiled bot with both platform adapters (HTTP modes), starts them, answers a few
// queries, collects garbage and prints the resident set size as JSON (or {"error": ...}). Used by
// bench/startup.ts.
//
// Nothing leaves 127.0.0.1: the Slack adapter's start() calls auth.test, which goes to a stand-in
// served by this process (SLACK_API_URL), and DISCORD_API_URL points at the same stand-in, which
// answers nothing else and records any other call as an error. The stand-in is a bare node:http
// server; the bot loads node:http for its own endpoints anyway, so it adds next to nothing.
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";

/** Longest the whole probe may take: a hang would otherwise block bench/startup.ts for good. */
const PROBE_TIMEOUT_MS = 60_000;

const fail = (message) => {
  console.log(JSON.stringify({ error: message }));
  process.exit(0);
};
setTimeout(
  () => fail(`rss-probe did not finish within ${PROBE_TIMEOUT_MS / 1000} s`),
  PROBE_TIMEOUT_MS,
).unref();

/** Answers auth.test as Slack does for a bot token; anything else is 404 and noted. */
async function startApiStandIn() {
  const unexpected = [];
  let authTests = 0;
  const server = createServer((req, res) => {
    req.resume();
    if (req.method === "POST" && req.url?.split("?")[0] === "/slack/api/auth.test") {
      authTests += 1;
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ ok: true, user_id: "UBENCH", bot_id: "BBENCH", team_id: "T0001" }));
      return;
    }
    unexpected.push(`${req.method} ${req.url}`);
    res.writeHead(404, { "content-type": "application/json" }).end('{"ok":false,"error":"unknown_method"}');
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    slackApiUrl: `${base}/slack/api/`,
    discordApiUrl: `${base}/discord/api`,
    authTests: () => authTests,
    unexpected,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

try {
  const standIn = await startApiStandIn();
  const { publicKey } = generateKeyPairSync("ed25519");
  const env = {
    DISCORD_MODE: "http",
    DISCORD_PUBLIC_KEY: publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("hex"),
    DISCORD_APPLICATION_ID: "123456789012345678",
    DISCORD_API_URL: standIn.discordApiUrl,
    SLACK_MODE: "http",
    SLACK_BOT_TOKEN: "xoxb-0000000000-0000000000000-bench",
    SLACK_SIGNING_SECRET: "0123456789abcdef0123456789abcdef",
    SLACK_API_URL: standIn.slackApiUrl,
  };
  const { loadTaxonomyFast } = await import("../dist/src/taxonomy/compiled.js");
  const { cacheDirBeside, DEFAULT_DATA_DIR } = await import("../dist/src/paths.js");
  const { Skilltree } = await import("../dist/src/core.js");
  const { Recommendations } = await import("../dist/src/recommendations.js");
  const { openStore } = await import("../dist/src/store/open.js");
  const sqlitePath = process.env.SKILLTREE_SQLITE_PATH ?? "var/bench.db";
  const store = openStore({ sqlitePath });
  await store.init();
  // As src/main.ts loads it: the compiled taxonomy once data/ has been validated.
  const taxonomy = await loadTaxonomyFast(DEFAULT_DATA_DIR, cacheDirBeside(sqlitePath));
  const core = new Skilltree(taxonomy, {
    defaultLocale: "en",
    recommendations: new Recommendations(store),
  });
  const discord = await import("../dist/adapters/discord/index.js");
  const slack = await import("../dist/adapters/slack/index.js");
  const adapters = [
    discord.createDiscordAdapter({ core }, discord.readDiscordConfig(env)),
    slack.createSlackAdapter({ core }, slack.readSlackConfig(env)),
  ];
  for (const adapter of adapters) await adapter.start();
  // The figure is only worth having with both adapters really up, identity learnt included.
  const notReady = adapters.filter((adapter) => !adapter.isReady()).map((adapter) => adapter.platform);
  if (notReady.length > 0) throw new Error(`adapter not ready after start(): ${notReady.join(", ")}`);
  if (standIn.authTests() !== 1) {
    throw new Error(`expected the Slack adapter's one auth.test at start, saw ${standIn.authTests()}`);
  }
  for (const line of ["/tool calico", "/skilltree networking", "/search overlay network", "/top"]) {
    const [command, ...rest] = line.slice(1).split(" ");
    await core.answer({
      command,
      args: rest.length
        ? { [command === "search" ? "query" : command === "tool" ? "name" : "area"]: rest.join(" ") }
        : {},
    });
  }
  core.autocomplete("tool", "cal");
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  for (const adapter of adapters) await adapter.stop();
  await store.close();
  await standIn.close();
  if (standIn.unexpected.length > 0) {
    throw new Error(`unexpected platform API calls: ${standIn.unexpected.join(", ")}`);
  }
  console.log(JSON.stringify({ rssMB: Math.round(rss / 1e5) / 10, heapMB: Math.round(heapUsed / 1e5) / 10 }));
  process.exit(0);
} catch (error) {
  fail(String(error instanceof Error ? error.message : error));
}
