/**
 * The PostgreSQL store beyond the contract: migrations from several replicas, concurrency,
 * crashes, and outages (a TCP proxy in front of the server that we stop and start).
 * Runs when TEST_DATABASE_URL is set; skips visibly otherwise (and fails in CI).
 */
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { MIGRATIONS, migrationSql, SCHEMA_MIGRATIONS_DDL } from "../src/store/migrations.js";
import { PostgresStore, type PostgresStoreOptions } from "../src/store/postgres.js";
import { type Stance, StoreUnavailableError } from "../src/store/types.js";
import { announcePgSkip, TEST_DATABASE_URL, TestSchemas, urlWithSchema } from "./helpers/pg.js";
import {
  confirmedWritesSurviveKill,
  expectAnswersMatchRecount,
  expectBatchedPruning,
  expectTalliesMatchRecount,
  gridFromTwoProcesses,
  gridThroughTwoInstances,
  HISTORY_SQL,
  PRUNE_BACKLOG,
  type ReadTable,
  racingAcrossChannels,
  rateLimitThroughTwoInstances,
  sameTwiceThroughTwoInstances,
  spreadFromTwoProcesses,
} from "./helpers/store-scenarios.js";
import { closedPort, TcpProxy } from "./helpers/tcp-proxy.js";

announcePgSkip("PostgreSQL store");

const place = { platform: "slack", workspace: "T", channel: "C" };
const rec = (member: string, at = 1) => ({
  ...place,
  member,
  memberName: null,
  tool: "docker",
  stance: "adopt" as const,
  reason: null,
  at,
});

describe.skipIf(!TEST_DATABASE_URL)("PostgreSQL store", () => {
  const base = TEST_DATABASE_URL ?? "postgres://unused";
  const schemas = new TestSchemas(base);
  const opened: PostgresStore[] = [];

  function store(url: string, options: Partial<PostgresStoreOptions> = {}): PostgresStore {
    const s = new PostgresStore({ connectionString: url, ...options });
    opened.push(s);
    return s;
  }

  async function ready(url: string, options: Partial<PostgresStoreOptions> = {}): Promise<PostgresStore> {
    const s = store(url, options);
    await s.init();
    return s;
  }

  const count =
    (schema: string, table = "recommendations") =>
    async () =>
      Number((await schemas.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${schema}.${table}`))[0]?.n);

  /** Every row of one of the schema's tables. */
  const reader =
    (schema: string): ReadTable =>
    (table) =>
      schemas.query(`SELECT * FROM ${schema}.${table}`);

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  afterAll(() => schemas.dropAll());

  describe("migrations", () => {
    it("applies each migration once when several replicas start at the same moment", async () => {
      const { schema, url } = await schemas.create();
      const replicas = [store(url), store(url), store(url), store(url)];
      await Promise.all(replicas.map((r) => r.init()));
      await Promise.all(replicas.map((r) => r.init()));
      const rows = await schemas.query<{ version: number }>(
        `SELECT version FROM ${schema}.schema_migrations ORDER BY version`,
      );
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      const indexes = await schemas.query<{ indexname: string }>(
        "SELECT indexname FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname",
        [schema],
      );
      expect(indexes.map((i) => i.indexname)).toEqual([
        "recommendation_changes_by_member",
        "recommendation_channel_tallies_pkey",
        "recommendation_channel_tallies_ranked",
        "recommendation_member_latest_pkey",
        "recommendation_removals_by_channel",
        "recommendation_removals_by_tool",
        "recommendation_removals_by_workspace",
        "recommendation_removals_pkey",
        "recommendation_workspace_tallies_pkey",
        "recommendation_workspace_tallies_ranked",
        "recommendations_live_by_channel",
        "recommendations_live_by_tool",
        "recommendations_live_by_tool_time",
        "recommendations_pkey",
        "schema_migrations_pkey",
      ]);
    });

    it("rejects a stance outside the four (CHECK) as a database error, not an outage", async () => {
      const { url } = await schemas.create();
      const s = await ready(url);
      const error = await s.recommend({ ...rec("U1"), stance: "love" as Stance }).catch((e: unknown) => e);
      expect(error).not.toBeInstanceOf(StoreUnavailableError);
      expect(String(error)).toMatch(/check constraint/);
      expect((await s.recommend(rec("U1"))).outcome).toBe("created"); // the pool is fine after it
    });
  });

  describe("two writers on one database", () => {
    it("two instances writing 50 members x 4 tools at once give exact counts", async () => {
      const { schema, url } = await schemas.create();
      const [a, b] = [await ready(url), await ready(url)];
      await gridThroughTwoInstances(a, b, count(schema), reader(schema));
      expect(await count(schema, "recommendation_changes")()).toBe(200);
    });

    it("the same recommendation sent twice at once through two instances is one row", async () => {
      const { schema, url } = await schemas.create();
      const [a, b] = [await ready(url), await ready(url)];
      await sameTwiceThroughTwoInstances(a, b, count(schema), reader(schema));
    });

    it("30 changes by one member at once through two instances, limit 10: exactly 10 go through", async () => {
      const { schema, url } = await schemas.create();
      const [a, b] = [await ready(url), await ready(url)];
      await rateLimitThroughTwoInstances(a, b, count(schema));
    });

    it("a limited write waits for the member's lock, not for other members' writes", async () => {
      const { url } = await schemas.create();
      const s = await ready(url, { statementTimeoutMillis: 1500 });
      const holder = await ready(url);
      const client = await (holder as unknown as { pool: pg.Pool }).pool.connect();
      const limit = { maxChanges: 10, since: 0 };
      try {
        // Another transaction holds U1's rate lock (as a limited write of U1 in flight would).
        await client.query("BEGIN");
        await client.query("SELECT recommendation_rate_gate('slack', 'T', 'U1', 10, 0)");
        expect((await s.recommend(rec("U2"), limit)).outcome).toBe("created");
        expect((await s.recommend(rec("U3"))).outcome).toBe("created"); // no limit: no lock
        const waiting = s.recommend(rec("U1"), limit);
        const first = await Promise.race([waiting, new Promise((r) => setTimeout(() => r("waiting"), 300))]);
        expect(first).toBe("waiting");
        await client.query("COMMIT");
        expect((await waiting).outcome).toBe("created");
      } finally {
        client.release();
      }
    });

    it("two instances racing across channels keep the tallies equal to a recount", async () => {
      const { schema, url } = await schemas.create();
      const [a, b] = [await ready(url), await ready(url)];
      await racingAcrossChannels(a, b, reader(schema));
      await racingAcrossChannels(a, b, reader(schema), 2);
    });

    it("two processes writing the same grid at the same moment create each row once", async () => {
      const { schema, url } = await schemas.create();
      await gridFromTwoProcesses(url, () => ready(url), count(schema), reader(schema));
      expect(await count(schema, "recommendation_changes")()).toBe(200);
    });

    it("two processes racing across channels keep the tallies equal to a recount", async () => {
      const { schema, url } = await schemas.create();
      await ready(url);
      await spreadFromTwoProcesses(url, () => ready(url), reader(schema));
    });
  });

  describe("kept tallies (migration 2)", () => {
    const WS = { platform: "slack", workspace: "T" };

    it("fills the tallies from the rows written before it", async () => {
      const { schema, url } = await schemas.create();
      const first = MIGRATIONS[0];
      if (!first) throw new Error("no migration 1");
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(SCHEMA_MIGRATIONS_DDL);
        await client.query(migrationSql(first, "postgres"));
        await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, $1, 0)", [
          first.name,
        ]);
        await client.query(HISTORY_SQL);
      } finally {
        await client.end();
      }
      const s = await ready(url);
      const expected = await expectTalliesMatchRecount(reader(schema));
      expect(expected.live.length).toBeGreaterThan(10);
      await expectAnswersMatchRecount(s, expected, WS, ["C1", "C2", "C3"], ["docker", "podman"]);
    });

    it("follows writes made outside the store, from a connection with another search_path", async () => {
      const { schema, url } = await schemas.create();
      const s = await ready(url);
      const read = reader(schema);
      // The admin connection's search_path does not hold the schema: the trigger functions must
      // still find their tables (they pin the search_path they were created with).
      await schemas.query(HISTORY_SQL.replace("INTO recommendations", `INTO ${schema}.recommendations`));
      await expectTalliesMatchRecount(read);
      for (const change of [
        "DELETE FROM R WHERE member = 'U1' AND channel = 'C1'",
        "UPDATE R SET channel = 'C4' WHERE member = 'U2' AND channel = 'C2'",
        "UPDATE R SET member = 'U9' WHERE member = 'U3' AND tool = 'docker'",
        "UPDATE R SET tool = 'kind' WHERE member = 'U4' AND tool = 'podman'",
        "UPDATE R SET removed_at = NULL, updated_at = updated_at + 100",
        "UPDATE R SET stance = 'hold' WHERE channel = 'C1'",
        "DELETE FROM R WHERE tool = 'docker'",
      ]) {
        await schemas.query(change.replace(/\bR\b/, `${schema}.recommendations`));
        await expectTalliesMatchRecount(read);
      }
      const expected = await expectTalliesMatchRecount(read);
      await expectAnswersMatchRecount(s, expected, WS, ["C1", "C2", "C3"], ["docker", "podman", "kind"]);
    });

    it("recounts to the same tallies with recommendation_tallies_rebuild()", async () => {
      const { schema, url } = await schemas.create();
      const [a, b] = [await ready(url), await ready(url)];
      await racingAcrossChannels(a, b, reader(schema), 3);
      const tables = [
        "recommendation_channel_tallies",
        "recommendation_member_latest",
        "recommendation_workspace_tallies",
      ];
      const dump = async () =>
        Promise.all(tables.map((t) => schemas.query(`SELECT * FROM ${schema}.${t} ORDER BY 1, 2, 3, 4`)));
      const before = await dump();
      await schemas.query(`SELECT ${schema}.recommendation_tallies_rebuild()`);
      expect(await dump()).toEqual(before);
    });
  });

  describe("pruning the change log", () => {
    it("deletes a long backlog a batch per limited write, so that no write gets slow", async () => {
      const { schema, url } = await schemas.create();
      const s = await ready(url);
      await schemas.query(
        `INSERT INTO ${schema}.recommendation_changes (platform, workspace, member, at)
         SELECT 'slack', 'T', 'old-' || (i % 50), 1000 + i FROM generate_series(0, $1::int - 1) AS i`,
        [PRUNE_BACKLOG],
      );
      await expectBatchedPruning(s, count(schema, "recommendation_changes"));
    });
  });

  describe("the removals record (migration 3)", () => {
    it("copies the removals made before it, and records removals written outside the store", async () => {
      const { schema, url } = await schemas.create();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(SCHEMA_MIGRATIONS_DDL);
        for (const m of MIGRATIONS.slice(0, 2)) {
          await client.query(migrationSql(m, "postgres"));
          await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)", [
            m.version,
            m.name,
          ]);
        }
        await client.query(HISTORY_SQL);
      } finally {
        await client.end();
      }
      const removedBefore = await schemas.query<{ channel: string; member: string; tool: string }>(
        `SELECT channel, member, tool FROM ${schema}.recommendations WHERE removed_at IS NOT NULL`,
      );
      expect(removedBefore.length).toBeGreaterThan(3);
      const s = await ready(url);
      const ws = { platform: "slack", workspace: "T" };
      const key = (r: { channel: string; member: string; tool: string }) =>
        `${r.channel} ${r.member} ${r.tool}`;
      const copied = await s.removals(ws, { limit: 1000 });
      expect(copied.map(key).sort()).toEqual(removedBefore.map(key).sort());
      // By hand, from a connection with another search_path: recorded, and kept after a revival.
      await schemas.query(
        `UPDATE ${schema}.recommendations SET removed_at = 5000, removed_by = 'ADMIN' WHERE member = 'U6' AND removed_at IS NULL`,
      );
      await schemas.query(
        `UPDATE ${schema}.recommendations SET removed_at = NULL, removed_by = NULL WHERE member = 'U6'`,
      );
      const byHand = (await s.removals(ws, { limit: 1000 })).filter((r) => r.removedBy === "ADMIN");
      expect(byHand.length).toBeGreaterThan(0);
      expect(byHand.every((r) => r.member === "U6" && r.removedAt === 5000)).toBe(true);
      expect(await count(schema, "recommendation_removals")()).toBe(copied.length + byHand.length);
    });
  });

  describe("durability", () => {
    it("keeps every confirmed write when the writer is killed with SIGKILL", async () => {
      const { url } = await schemas.create();
      await confirmedWritesSurviveKill(url, () => ready(url));
    });
  });

  describe("outage", () => {
    let proxy: TcpProxy;
    let schema: string;

    beforeAll(async () => {
      const target = new URL(base);
      proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
      await proxy.start();
      ({ schema } = await schemas.create());
    });
    afterAll(() => proxy.stop());
    afterEach(() => proxy.start());

    const viaProxy = () => urlWithSchema(base, schema, { port: proxy.port });

    /** Awaits a rejection, returning the error and how long it took. */
    async function failure(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
      const started = Date.now();
      const error = await promise.then(
        () => new Error("expected a rejection"),
        (e: unknown) => e,
      );
      return { error, ms: Date.now() - started };
    }

    it("rejects with StoreUnavailableError while the server is down, then the same store recovers", async () => {
      const idleErrors: Error[] = [];
      const s = await ready(viaProxy(), { onIdleError: (e) => idleErrors.push(e) });
      await s.recommend(rec("U1"));
      expect(await s.get(place, "U1", "docker")).not.toBeNull();

      await proxy.stop(); // the pooled idle connection is cut: handled, not a crash
      await vi.waitFor(() => expect(idleErrors.length).toBeGreaterThan(0), { timeout: 2000 });
      for (const attempt of [
        s.get(place, "U1", "docker"),
        s.recommend(rec("U2")),
        s.remove({ ...place, member: "U1", tool: "docker", removedBy: "U1", at: 2 }),
        s.tallies(place, 5),
        s.forTool(place, "docker", 5),
        s.changesSince("slack", "T", "U1", 0),
        s.ping(),
        s.init(),
      ]) {
        const { error, ms } = await failure(attempt);
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect(ms).toBeLessThan(3000);
      }

      await proxy.start();
      await expect(s.ping()).resolves.toBeUndefined();
      expect((await s.recommend(rec("U2"))).outcome).toBe("created");
      expect((await s.tallies(place, 5))[0]?.members).toBe(2);
    });

    it("gives up within the timeouts when the network goes silent, then recovers", async () => {
      const s = await ready(viaProxy(), { connectionTimeoutMillis: 800, queryTimeoutMillis: 1200 });
      await s.recommend(rec("U3"));

      proxy.blackhole();
      // The pooled connection hangs: the client-side query timeout ends it.
      const hung = await failure(s.get(place, "U3", "docker"));
      expect(hung.error).toBeInstanceOf(StoreUnavailableError);
      expect(hung.ms).toBeGreaterThanOrEqual(1000);
      expect(hung.ms).toBeLessThan(3000);
      // A new connection hangs in the handshake: the connection timeout ends it.
      const connecting = await failure(s.ping());
      expect(connecting.error).toBeInstanceOf(StoreUnavailableError);
      expect(connecting.ms).toBeLessThan(3000);

      await proxy.start();
      expect(await s.get(place, "U3", "docker")).toMatchObject({ member: "U3" });
    });

    it("recovers without a restart when the database was down at start", async () => {
      await proxy.stop();
      const s = store(viaProxy());
      const attempts = vi.spyOn(s as unknown as { migrate: () => Promise<void> }, "migrate");
      // What main.ts does: one init at start, a failure only logged.
      await expect(s.init()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(s.ping()).rejects.toBeInstanceOf(StoreUnavailableError); // readiness stays off
      expect(attempts).toHaveBeenCalledTimes(2);
      // Calls made at the same moment share one attempt.
      const all = await Promise.allSettled([
        s.recommend(rec("D1")),
        s.tallies(place, 5),
        s.forTool(place, "docker", 5),
        s.removals(place),
        s.changesSince("slack", "T", "D1", 0),
        s.ping(),
      ]);
      expect(all.map((r) => r.status === "rejected" && r.reason instanceof StoreUnavailableError)).toEqual(
        all.map(() => true),
      );
      expect(attempts).toHaveBeenCalledTimes(3);

      await proxy.start();
      expect((await s.recommend(rec("D1"))).outcome).toBe("created"); // migrates first, then writes
      await expect(s.ping()).resolves.toBeUndefined();
      expect(attempts).toHaveBeenCalledTimes(4);
      expect(await s.get(place, "D1", "docker")).toMatchObject({ member: "D1" });
      expect(attempts).toHaveBeenCalledTimes(4); // ready: no more attempts
    });

    it("rejects at once when nothing listens at all", async () => {
      const s = store(urlWithSchema(base, schema, { port: await closedPort() }));
      const { error, ms } = await failure(s.init());
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(ms).toBeLessThan(2500);
      await expect(s.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    });

    it("turns a statement that waits too long (a held lock) into StoreUnavailableError", async () => {
      const s = await ready(urlWithSchema(base, schema), { statementTimeoutMillis: 300 });
      await s.recommend(rec("U9"));
      const holder = new PostgresStore({ connectionString: urlWithSchema(base, schema) });
      const pool = (holder as unknown as { pool: import("pg").Pool }).pool;
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        await client.query(`SELECT 1 FROM recommendations WHERE member = 'U9' FOR UPDATE`);
        const { error, ms } = await failure(s.recommend({ ...rec("U9"), stance: "hold" }));
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect(ms).toBeLessThan(2000);
      } finally {
        await client.query("ROLLBACK");
        client.release();
        await holder.close();
      }
      expect((await s.recommend({ ...rec("U9"), stance: "hold" })).outcome).toBe("updated");
    });
  });
});
