/** The store contract (test/store-contract.ts) against every backend, and the released migrations. */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { instrumentStore } from "../src/ops/instrumented-store.js";
import { Metrics } from "../src/ops/metrics.js";
import type { Member, Place } from "../src/query.js";
import { Recommendations } from "../src/recommendations.js";
import { MemoryStore } from "../src/store/memory.js";
import { type Dialect, MIGRATIONS, migrationSql } from "../src/store/migrations.js";
import { PostgresStore } from "../src/store/postgres.js";
import { SqliteStore } from "../src/store/sqlite.js";
import { StoreUnavailableError } from "../src/store/types.js";
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
    3: { sqlite: "e103b64d90f4af69", postgres: "2aa623636c858e61" },
  };
  for (const m of MIGRATIONS)
    it(`migration ${m.version} (${m.name}) is unchanged`, () => {
      for (const dialect of ["sqlite", "postgres"] as const) {
        const hash = createHash("sha256").update(migrationSql(m, dialect)).digest("hex").slice(0, 16);
        expect(hash, `${dialect}: a released migration was edited`).toBe(PINNED[m.version]?.[dialect]);
      }
    });
});

describe("Recommendations: the rules on top of the store", () => {
  const place: Place = { platform: "slack", workspace: "T1", channel: "C1" };
  const ada: Member = { id: "U1", name: "Ada" };
  const mod: Member = { id: "M1", name: "Mod" };
  const T0 = 1_700_000_000_000;

  function rules(clock: { now: number }, changes = 10) {
    return { moderators: new Set(["M1"]), rateLimit: { changes, windowMs: 60_000 }, now: () => clock.now };
  }

  it("lets exactly the limit of 30 concurrent changes through", async () => {
    const store = new MemoryStore();
    const recs = new Recommendations(store, rules({ now: T0 }));
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => recs.record(place, ada, `tool-${i}`, "adopt", null)),
    );
    expect(outcomes.filter((o) => o.kind === "recorded")).toHaveLength(10);
    expect(outcomes.filter((o) => o.kind === "rate_limited")).toHaveLength(20);
    expect((await store.tallies(place, 100)).length).toBe(10);
  });

  it("says to retry when the oldest change in the window leaves it, at least 1 second", async () => {
    const clock = { now: T0 };
    const recs = new Recommendations(new MemoryStore(), rules(clock, 3));
    for (const [i, tool] of ["a", "b", "c"].entries()) {
      clock.now = T0 + i * 5000; // T0, T0 + 5 s, T0 + 10 s
      expect((await recs.record(place, ada, tool, "adopt", null)).kind).toBe("recorded");
    }
    clock.now = T0 + 20_000;
    expect(await recs.record(place, ada, "d", "adopt", null)).toEqual({
      kind: "rate_limited",
      retryAfterSeconds: 40,
    });
    clock.now = T0 + 59_500;
    expect(await recs.record(place, ada, "d", "adopt", null)).toEqual({
      kind: "rate_limited",
      retryAfterSeconds: 1,
    });
    clock.now = T0 + 60_000; // the first change has left the window
    expect((await recs.record(place, ada, "d", "adopt", null)).kind).toBe("recorded");
    expect(await recs.record(place, ada, "e", "adopt", null)).toEqual({
      kind: "rate_limited",
      retryAfterSeconds: 5,
    });
  });

  it("rate-limits removals by the remover, with the same retry time", async () => {
    const clock = { now: T0 };
    const store = new MemoryStore();
    const recs = new Recommendations(store, rules(clock, 1));
    await recs.record(place, ada, "a", "adopt", null);
    await recs.record(place, { id: "U2" }, "a", "adopt", null);
    clock.now = T0 + 1000;
    expect(await recs.remove(place, mod, "U1", "a")).toEqual({ kind: "removed" });
    clock.now = T0 + 31_000;
    expect(await recs.remove(place, mod, "U2", "a")).toEqual({ kind: "rate_limited", retryAfterSeconds: 30 });
    expect(await recs.remove(place, ada, "U2", "a")).toEqual({ kind: "forbidden" });
    expect(await recs.remove(place, ada, "U1", "a")).toEqual({ kind: "rate_limited", retryAfterSeconds: 29 });
    clock.now = T0 + 61_000;
    expect(await recs.remove(place, mod, "U2", "a")).toEqual({ kind: "removed" });
    expect(await recs.remove(place, mod, "U2", "b")).toEqual({ kind: "rate_limited", retryAfterSeconds: 60 });
    clock.now = T0 + 121_000;
    expect(await recs.remove(place, mod, "U2", "b")).toEqual({ kind: "nothing_to_remove" });
    expect((await store.removals(place)).map((r) => [r.member, r.removedBy])).toEqual([
      ["U2", "M1"],
      ["U1", "M1"],
    ]);
  });

  it("channelTotal answers the count, or null when the store cannot say (the write still stands)", async () => {
    const store = new MemoryStore();
    const recs = new Recommendations(store, rules({ now: T0 }));
    await recs.record(place, ada, "calico", "adopt", null);
    expect(await recs.channelTotal(place, "calico")).toBe(1);
    store.forTool = () => Promise.reject(new StoreUnavailableError("connection reset"));
    expect(await recs.channelTotal(place, "calico")).toBeNull();
  });

  it("passes the limit through the instrumented store, counting only what was written", async () => {
    const metrics = new Metrics();
    const store = instrumentStore(new MemoryStore(), metrics);
    const recs = new Recommendations(store, rules({ now: T0 }, 1));
    expect((await recs.record(place, ada, "a", "adopt", null)).kind).toBe("recorded");
    expect((await recs.record(place, ada, "b", "adopt", null)).kind).toBe("rate_limited");
    expect((await recs.remove(place, ada, "U1", "a")).kind).toBe("rate_limited");
    const written = await metrics.recommendationsWritten.get();
    expect(written.values.map((v) => [v.labels.outcome, v.value])).toEqual([["created", 1]]);
    expect(await store.removals(place)).toEqual([]);
  });
});
