// Loads the compiled bot with both platform adapters (HTTP modes: no network needed), answers a
// few queries, collects garbage and prints the resident set size as JSON. Used by bench/startup.ts.
import { generateKeyPairSync } from "node:crypto";

try {
  const { publicKey } = generateKeyPairSync("ed25519");
  const env = {
    DISCORD_MODE: "http",
    DISCORD_PUBLIC_KEY: publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("hex"),
    DISCORD_APPLICATION_ID: "123456789012345678",
    SLACK_MODE: "http",
    SLACK_BOT_TOKEN: "xoxb-0000000000-0000000000000-bench",
    SLACK_SIGNING_SECRET: "0123456789abcdef0123456789abcdef",
  };
  const { loadTaxonomy } = await import("../dist/src/taxonomy/load.js");
  const { DEFAULT_DATA_DIR } = await import("../dist/src/paths.js");
  const { Skilltree } = await import("../dist/src/core.js");
  const { Recommendations } = await import("../dist/src/recommendations.js");
  const { openStore } = await import("../dist/src/store/open.js");
  const store = openStore({ sqlitePath: process.env.SKILLTREE_SQLITE_PATH ?? "var/bench.db" });
  await store.init();
  const core = new Skilltree(loadTaxonomy(DEFAULT_DATA_DIR), {
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
  console.log(JSON.stringify({ rssMB: Math.round(rss / 1e5) / 10, heapMB: Math.round(heapUsed / 1e5) / 10 }));
  process.exit(0);
} catch (error) {
  console.log(JSON.stringify({ error: String(error instanceof Error ? error.message : error) }));
  process.exit(0);
}
