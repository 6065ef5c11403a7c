/**
 * `node dist/ask.cjs "/tool calico"`: the one-shot answer of ask.ts, started fast. ask.ts and
 * everything it needs are one bundle (dist/console/ask.bundle.cjs, built by
 * scripts/bundle-console.ts), run with a V8 code cache kept beside the compiled taxonomy
 * (var/cache/ by default, or beside SKILLTREE_SQLITE_PATH). Same options, output and exit codes
 * as `npm run ask`.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheDirBeside, DEFAULT_SQLITE_PATH } from "../../src/paths.js";
import { runWithCodeCache } from "./code-cache.js";

const here = dirname(fileURLToPath(import.meta.url));
runWithCodeCache(
  join(here, "console", "ask.bundle.cjs"),
  cacheDirBeside(process.env.SKILLTREE_SQLITE_PATH || DEFAULT_SQLITE_PATH),
);
