/**
 * PostgreSQL for tests: on when TEST_DATABASE_URL is set (CI sets it), skipped otherwise, with a
 * visible note. Every schema a run creates is its own (skilltree_test_<random>_<n>) and is dropped
 * at the end, so runs and test files never collide.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, it } from "vitest";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;
export const PG_SKIPPED =
  "skipped: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run";

/**
 * Call once per file that has PostgreSQL tests. Without a URL: in CI a failing test (the tests
 * must not skip there), elsewhere a skipped test whose title says how to run them.
 */
export function announcePgSkip(what: string): void {
  if (TEST_DATABASE_URL) return;
  if (process.env.CI === "true") {
    describe(what, () => {
      it("needs TEST_DATABASE_URL in CI (PostgreSQL tests must not skip there)", () => {
        throw new Error("CI=true but TEST_DATABASE_URL is not set: .ci/run exports it");
      });
    });
    return;
  }
  console.warn(`[${what}] ${PG_SKIPPED}`);
  describe(what, () => {
    it.skip(PG_SKIPPED, () => {});
  });
}

/** The test database URL with `search_path` set to `schema` for every connection. */
export function urlWithSchema(base: string, schema: string, overrides: { port?: number } = {}): string {
  const url = new URL(base);
  url.searchParams.set("options", `-c search_path=${schema}`);
  if (overrides.port !== undefined) {
    url.hostname = "127.0.0.1";
    url.port = String(overrides.port);
  }
  return url.toString();
}

/** Creates fresh schemas on demand; `dropAll` removes them (and closes its own connection). */
export class TestSchemas {
  private readonly admin: pg.Pool;
  private readonly prefix = `skilltree_test_${randomBytes(4).toString("hex")}`;
  private readonly created: string[] = [];

  constructor(private readonly base: string) {
    this.admin = new pg.Pool({ connectionString: base, max: 2 });
    this.admin.on("error", () => {});
  }

  /** A new empty schema; returns its name and a URL whose connections use it. */
  async create(): Promise<{ schema: string; url: string }> {
    const schema = `${this.prefix}_${this.created.length}`;
    this.created.push(schema);
    await this.admin.query(`CREATE SCHEMA ${schema}`);
    return { schema, url: urlWithSchema(this.base, schema) };
  }

  async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> {
    return (await this.admin.query<R>(text, values)).rows;
  }

  async dropAll(): Promise<void> {
    for (const schema of this.created.splice(0))
      await this.admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await this.admin.end();
  }
}
