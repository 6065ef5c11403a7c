/**
 * Secrets out of error texts, for log lines and the terminal. Kept apart from logger.ts so the
 * console can use it without loading pino.
 */

/**
 * An error's text for a log line or the terminal, with secrets taken out: the given values
 * (tokens, the database password) wherever they appear, and any user:password in a URL.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text.replace(/(\w+:\/\/)[^\s/@:]+:[^\s/@]+@/g, "$1[redacted]@");
  for (const secret of secrets) {
    if (secret && secret.length >= 6) out = out.split(secret).join("[redacted]");
  }
  return out;
}

/** The secret values in an environment, for redactSecrets. */
export function secretsOf(env: NodeJS.ProcessEnv): string[] {
  const names = [
    "DISCORD_TOKEN",
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "DATABASE_URL",
  ];
  const values = names.map((n) => env[n]?.trim()).filter((v): v is string => Boolean(v));
  const url = env.DATABASE_URL?.trim();
  if (url) {
    try {
      const password = decodeURIComponent(new URL(url).password);
      if (password) values.push(password);
    } catch {
      // Not a URL: the whole value is already in the list.
    }
  }
  return values;
}

/** An error's message, secrets taken out. */
export function errorMessage(error: unknown, secrets: readonly string[]): string {
  return redactSecrets(error instanceof Error ? error.message : String(error), secrets);
}

/** An error's stack (for the logs, never for members), secrets taken out. */
export function errorStack(error: unknown, secrets: readonly string[]): string | undefined {
  return error instanceof Error && error.stack ? redactSecrets(error.stack, secrets) : undefined;
}
