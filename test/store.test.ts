/** The store contract (test/store-contract.ts) against every backend. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe } from "vitest";
import { MemoryStore } from "../src/store/memory.js";
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
