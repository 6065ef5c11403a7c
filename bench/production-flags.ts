/**
 * The Node flags the production image starts the bot with (the Dockerfile's CMD), so that the
 * memory and HTTP figures measure the process as it is deployed, not Node's defaults.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../src/paths.js";

/** The flags between `node` and the script in the Dockerfile's last exec-form CMD. */
export function productionNodeFlags(
  dockerfile = readFileSync(join(PROJECT_ROOT, "Dockerfile"), "utf8"),
): string[] {
  const cmd = dockerfile
    .split("\n")
    .filter((line) => line.startsWith("CMD ["))
    .at(-1);
  if (!cmd) throw new Error("the Dockerfile has no exec-form CMD");
  const argv = JSON.parse(cmd.slice(cmd.indexOf("["))) as string[];
  if (argv[0] !== "node") throw new Error(`the Dockerfile's CMD does not start node: ${cmd}`);
  const flags: string[] = [];
  for (const arg of argv.slice(1)) {
    if (!arg.startsWith("-")) break;
    flags.push(arg);
  }
  return flags;
}
