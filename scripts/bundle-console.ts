/**
 * Part of `npm run build`: the one-shot console as two CommonJS files, for a fast start.
 *   dist/console/ask.bundle.cjs  adapters/console/ask.ts and everything it imports, minified
 *   dist/ask.cjs                 the launcher (adapters/console/fast-ask.ts): runs the bundle
 *                                with a V8 code cache
 * Loading some 60 ES modules one by one, then parsing them, was most of a one-shot answer's
 * time (docs/benchmarks.md). CommonJS because only a classic script can take V8's code cache
 * on Node 20. better-sqlite3 (a native addon) and pg (never used by the console's SQLite store)
 * stay outside. zod's translations of its error messages into other languages are left out:
 * the bot never asks for them (its messages are its own), and they were over half the bundle.
 * The build fails if a platform library (discord.js, Bolt) finds its way in.
 *
 * Usage: tsx scripts/bundle-console.ts [outdir]   (default dist/)
 */
import { resolve } from "node:path";
import { type BuildOptions, build, type Plugin } from "esbuild";
import { PROJECT_ROOT } from "../src/paths.js";

const PLATFORM_PACKAGE = /node_modules\/(discord\.js|discord-api-types|@discordjs|@slack)\//;

/** zod's `locales` namespace (every language but the English it configures itself) as empty. */
const withoutZodLocales: Plugin = {
  name: "without-zod-locales",
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: "zod-locales", namespace: "empty" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "export {};", loader: "js" }));
  },
};

export async function bundleConsole(outDir: string): Promise<void> {
  const common: BuildOptions & { metafile: true } = {
    bundle: true,
    minify: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    absWorkingDir: PROJECT_ROOT,
    external: ["better-sqlite3", "pg"],
    // The sources are ES modules; paths.ts finds the project from its own URL.
    define: { "import.meta.url": "__bundle_url" },
    banner: { js: 'const __bundle_url = require("node:url").pathToFileURL(__filename).href;' },
    metafile: true,
    logLevel: "warning",
  };
  const results = await Promise.all([
    build({
      ...common,
      entryPoints: ["adapters/console/ask.ts"],
      outfile: resolve(outDir, "console", "ask.bundle.cjs"),
      plugins: [withoutZodLocales],
    }),
    build({ ...common, entryPoints: ["adapters/console/fast-ask.ts"], outfile: resolve(outDir, "ask.cjs") }),
  ]);
  const platform = results
    .flatMap((r) => Object.keys(r.metafile.inputs))
    .filter((f) => PLATFORM_PACKAGE.test(f));
  if (platform.length > 0) {
    throw new Error(
      `the console bundle must not contain platform libraries: ${platform.slice(0, 3).join(", ")}`,
    );
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(PROJECT_ROOT, "scripts", "bundle-console.ts")) {
  await bundleConsole(resolve(process.argv[2] ?? resolve(PROJECT_ROOT, "dist")));
}
