/**
 * Runs a CommonJS bundle with a V8 code cache, so that a one-shot answer does not spend a third
 * of its time parsing and compiling the same half megabyte of JavaScript on every start.
 *
 * The cache is V8's own (vm.Script cachedData), taken when the process exits, so it also holds
 * the functions the run compiled lazily. V8 checks it against the source and its own version and
 * flags, and refuses it when they differ (cachedDataRejected): then the bundle compiles as usual
 * and a fresh cache replaces the stale one. A cache that cannot be read or written only costs
 * the time it would have saved. Node 22 has this built in (module.enableCompileCache); Node 20,
 * which this project supports, does not. The v8-compile-cache package answered in 75 ms where
 * this takes 59 (docs/benchmarks.md): it takes its cache before the code runs, so without the
 * functions compiled lazily, and it loads a cache store of its own.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";

/** The cache file for `bundle`: one per bundle build and Node version. */
export function codeCacheFile(bundle: string, cacheDir: string): string {
  const { size, mtimeMs } = statSync(bundle);
  const build = `${size.toString(36)}-${Math.trunc(mtimeMs).toString(36)}`;
  return join(cacheDir, `${basename(bundle)}-${process.version}-${build}.v8cache`);
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes the cache whole, then renames it; caches of earlier builds of the bundle go. */
function writeCache(file: string, data: Buffer, bundle: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const dir = dirname(file);
    mkdirSync(dir, { recursive: true });
    writeFileSync(temp, data);
    renameSync(temp, file);
    const earlier = (name: string) =>
      name.startsWith(`${basename(bundle)}-`) && name.endsWith(".v8cache") && name !== basename(file);
    for (const name of readdirSync(dir).filter(earlier)) rmSync(join(dir, name), { force: true });
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {}
  }
}

export interface CodeCacheRun {
  /** A cache was found and V8 took it. */
  cacheUsed: boolean;
}

/**
 * Loads and runs `bundle` (CommonJS) as the main module would run, with the code cache kept in
 * `cacheDir`. Returns once the bundle's top level has run (its async work goes on).
 */
export function runWithCodeCache(bundle: string, cacheDir: string): CodeCacheRun {
  const source = readFileSync(bundle, "utf8");
  let file: string | undefined;
  try {
    file = codeCacheFile(bundle, cacheDir);
  } catch {
    file = undefined;
  }
  const cachedData = file ? readCache(file) : undefined;
  const script = new Script(Module.wrap(source), {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
  });
  const cacheUsed = cachedData !== undefined && !script.cachedDataRejected;
  if (file && !cacheUsed) {
    const target = file;
    // At exit, so the cache holds what this run compiled along the way, not only the top level.
    process.once("exit", () => writeCache(target, script.createCachedData(), bundle));
  }
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
    filename: string,
    dirname: string,
  ) => void;
  const module = { exports: {}, filename: bundle, id: ".", loaded: false };
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return { cacheUsed };
}
