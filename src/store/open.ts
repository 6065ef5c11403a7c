/**
 * Picks the backend: PostgreSQL when a database URL is given (DATABASE_URL), else the SQLite
 * file. The caller reads the environment and passes the values; nothing in src/store reads it.
 * The store still needs `init()` before use.
 */
import { PostgresStore } from "./postgres.js";
import { SqliteStore } from "./sqlite.js";
import type { RecommendationStore } from "./types.js";

/** The SQLite file when nothing else is configured, relative to the working directory. */
export const DEFAULT_SQLITE_PATH = "var/skilltree.db";

export interface OpenStoreOptions {
  /** A postgres:// URL; when set (and not blank), PostgreSQL is used. */
  databaseUrl?: string;
  /** The SQLite file otherwise; its folder is created if missing. */
  sqlitePath: string;
}

export function openStore(options: OpenStoreOptions): RecommendationStore {
  const url = options.databaseUrl?.trim();
  if (url) return new PostgresStore({ connectionString: url });
  return new SqliteStore({ path: options.sqlitePath });
}

/** Which backend `openStore` would pick, for logs and health output (never the URL itself). */
export function storeKind(options: OpenStoreOptions): "postgres" | "sqlite" {
  return options.databaseUrl?.trim() ? "postgres" : "sqlite";
}
