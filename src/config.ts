/**
 * Configuration from the environment (and .env through dotenv), parsed once with zod. A bad
 * value stops start-up with one line naming the variable and what it expects, never its value.
 */
import { z } from "zod";
import { LOCALES, type Locale } from "./answer.js";
import { DEFAULT_DATA_DIR } from "./paths.js";

const schema = z.object({
  SKILLTREE_LOCALE: z
    .enum(LOCALES as [Locale, ...Locale[]], { error: `expected one of ${LOCALES.join(", ")}` })
    .default("en"),
  SKILLTREE_DATA_DIR: z.string().min(1, "expected a folder path").default(DEFAULT_DATA_DIR),
});

export type Config = {
  defaultLocale: Locale;
  dataDir: string;
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Reads the given environment (process.env by default); throws ConfigError on a bad value. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue?.path[0] ?? "environment");
    throw new ConfigError(`${variable}: ${issue?.message ?? "invalid value"}`);
  }
  return { defaultLocale: result.data.SKILLTREE_LOCALE, dataDir: result.data.SKILLTREE_DATA_DIR };
}

/** Loads .env into process.env (real environment variables win), quietly. */
export async function loadDotenv(): Promise<void> {
  const dotenv = await import("dotenv");
  dotenv.config({ quiet: true });
}
