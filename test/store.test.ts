/** The store contract (test/store-contract.ts) against every backend, and the released migrations. */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../src/store/memory.js";
import { type Dialect, MIGRATIONS, migrationSql } from "../src/store/migrations.js";
import { PostgresStore } from "../src/store/postgres.js";
import { SqliteStore } from "../src/store/sqlite.js";
import { announcePgSkip, TEST_DATABASE_URL, TestSchemas } from "./helpers/pg.js";
import { storeContract } from "./store-contract.js";

storeContract("memory", async () => new MemoryStore());

const dir = mkdtempSync(join(tmpdir(), "skilltree-store-"));
let files = 0;
storeContract(
  "SQLite",
  async () => new SqliteStore({ path: join(dir, `contract-${++files}.db`) }),
  async () => rmSync(dir, { recursive: true, force: true }),
);

announcePgSkip("RecommendationStore contract: PostgreSQL");
describe.skipIf(!TEST_DATABASE_URL)("PostgreSQL", () => {
  const schemas = new TestSchemas(TEST_DATABASE_URL ?? "postgres://unused");
  storeContract(
    "PostgreSQL",
    async () => new PostgresStore({ connectionString: (await schemas.create()).url }),
    () => schemas.dropAll(),
  );
});

describe("released migrations", () => {
  // A migration that has run somewhere must never change (add one instead): its SQL is pinned
  // here. Migration 2's SQL is generated from templates in migrations.ts, so this also catches an
  // edit to those templates.
  const PINNED: Record<number, Record<Dialect, string>> = {
    1: { sqlite: "5c4b1130f2ba183f", postgres: "5c4b1130f2ba183f" },
    2: { sqlite: "bb2fd84c2ba83530", postgres: "4c6d9199d9452824" },
  };
  for (const m of MIGRATIONS)
    it(`migration ${m.version} (${m.name}) is unchanged`, () => {
      for (const dialect of ["sqlite", "postgres"] as const) {
        const hash = createHash("sha256").update(migrationSql(m, dialect)).digest("hex").slice(0, 16);
        expect(hash, `${dialect}: a released migration was edited`).toBe(PINNED[m.version]?.[dialect]);
      }
    });
});
