/**
 * The Dockerfile's and compose.yaml's properties (no Docker engine runs here; test-image/ builds
 * the image's layout by following the Dockerfile and probes it with both health checks).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { productionNodeFlags } from "../bench/production-flags.js";
import { PROJECT_ROOT } from "../src/paths.js";

const dockerfile = readFileSync(join(PROJECT_ROOT, "Dockerfile"), "utf8");
/** Instructions with line continuations joined and comments dropped. */
const lines = dockerfile
  .replace(/\\\n\s*/g, " ")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l !== "" && !l.startsWith("#"));
const stages = lines.reduce<string[][]>((acc, line) => {
  if (/^FROM\s/i.test(line)) acc.push([line]);
  else acc.at(-1)?.push(line);
  return acc;
}, []);
const runtime = stages.at(-1) ?? [];
const stageName = (stage: string[]) => /\sAS\s+(\S+)$/i.exec(stage[0] ?? "")?.[1];
const stageNamed = (name: string) => stages.find((s) => stageName(s) === name) ?? [];
const execForm = (line: string | undefined) =>
  JSON.parse(line?.slice(line.indexOf("[")) ?? "null") as unknown;

describe("Dockerfile", () => {
  it("is multi-stage, every stage on an LTS Node slim image", () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const nodeVersion = Number(/^ARG NODE_VERSION=(\d+)$/m.exec(dockerfile)?.[1]);
    // Even majors become LTS; 22 is the oldest still supported in 2026.
    expect(nodeVersion % 2, "an even (LTS) major").toBe(0);
    expect(nodeVersion).toBeGreaterThanOrEqual(22);
    for (const stage of stages) {
      const from = stage[0] ?? "";
      const parent = /^FROM (\S+)/.exec(from)?.[1] ?? "";
      if (stages.some((s) => stageName(s) === parent)) continue; // built on an earlier stage
      expect(from).toMatch(/^FROM node:\$\{NODE_VERSION\}-(\w+-)?slim AS \w+$/);
    }
    expect(runtime[0]).toMatch(/^FROM node:\$\{NODE_VERSION\}-\S*slim AS runtime$/);
  });

  it("installs production dependencies only for the runtime, and compiles before", () => {
    expect(lines.some((l) => /npm run build/.test(l))).toBe(true);
    const runtimeText = runtime.join("\n");
    expect(runtimeText).not.toMatch(/npm (ci|install)/);
    expect(runtimeText).toMatch(/COPY --from=build \/app\/dist/);
    // node_modules comes from a stage whose only install omits dev dependencies, started afresh.
    const from = /COPY --from=(\w+) \/app\/node_modules/.exec(runtimeText)?.[1] ?? "";
    const deps = stageNamed(from);
    const installs = deps.filter((l) => /npm (ci|install)/.test(l));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toMatch(/^RUN (rm -rf node_modules && )?npm ci --omit=dev\b/);
    const base = /^FROM (\S+)/.exec(deps[0] ?? "")?.[1] ?? "";
    if (stages.some((s) => stageName(s) === base)) {
      // Built on another stage: its node_modules must be gone before the install.
      expect(deps.join("\n")).toMatch(/rm -rf node_modules && npm ci --omit=dev/);
    }
  });

  it("has no tsx or dev tools in the runtime, and tsx is a dev dependency", () => {
    const runtimeText = runtime.join("\n");
    expect(runtimeText).not.toMatch(/tsx|typescript|tsc\b|vitest|biome/);
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const dev of ["tsx", "typescript", "vitest", "@biomejs/biome"]) {
      expect(pkg.dependencies[dev], dev).toBeUndefined();
      expect(pkg.devDependencies[dev], dev).toBeDefined();
    }
  });

  it("runs as a non-root user, with a volume for SQLite", () => {
    expect(runtime.some((l) => /^USER (?!root\b|0\b)\w+/.test(l))).toBe(true);
    const volume = runtime.find((l) => l.startsWith("VOLUME"));
    const sqlitePath = /SKILLTREE_SQLITE_PATH=(\S+)/.exec(runtime.join(" "))?.[1] ?? "";
    expect(volume).toBeDefined();
    expect(sqlitePath.startsWith(JSON.parse(volume?.slice("VOLUME".length) ?? "[]")[0])).toBe(true);
  });

  it("checks /healthz with node itself (the slim image has no curl or wget)", () => {
    const healthcheck = runtime.find((l) => l.startsWith("HEALTHCHECK"));
    expect(healthcheck).toMatch(/\/healthz/);
    expect(healthcheck).not.toMatch(/\b(curl|wget)\b/);
    const command = execForm(healthcheck) as string[];
    expect(command[0]).toBe("node");
  });

  it("starts node directly, in exec form, so it receives SIGTERM", () => {
    // No shell, npm or tsx in between to swallow the signal or to need dev dependencies.
    const entrypoint = runtime.find((l) => l.startsWith("ENTRYPOINT"));
    const cmd = runtime.find((l) => l.startsWith("CMD"));
    const given = [entrypoint, cmd].filter((l): l is string => l !== undefined);
    expect(given.length).toBeGreaterThan(0);
    for (const line of given) expect(line).toMatch(/^(ENTRYPOINT|CMD) \[/);
    const argv = given.flatMap((line) => execForm(line) as string[]);
    expect(argv[0]).toBe("node");
    expect(argv.join(" ")).toMatch(/\bdist\/\S+\.js\b/);
    expect(argv.join(" ")).not.toMatch(/tsx|\.ts\b/);
  });

  it("gives node only flags Node knows, and bench/ reads the same ones", () => {
    const argv = execForm(runtime.find((l) => l.startsWith("CMD"))) as string[];
    const flags = productionNodeFlags();
    expect(argv.slice(1, 1 + flags.length)).toEqual(flags);
    for (const flag of flags) {
      expect(process.allowedNodeEnvironmentFlags.has(flag.split("=")[0] ?? flag), flag).toBe(true);
    }
    expect(productionNodeFlags('FROM x\nCMD ["node", "dist/src/main.js"]\n')).toEqual([]);
    expect(() => productionNodeFlags('CMD ["sh", "-c", "node x"]')).toThrow(/does not start node/);
  });

  it("has a .dockerignore that keeps secrets, databases and build output out", () => {
    const ignore = readFileSync(join(PROJECT_ROOT, ".dockerignore"), "utf8").split("\n");
    for (const entry of ["node_modules", ".env", "var", "dist", "*.db"]) expect(ignore).toContain(entry);
  });
});

interface Service {
  image?: string;
  build?: unknown;
  ports?: unknown[];
  expose?: unknown[];
  env_file?: unknown;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] | string };
  restart?: string;
  deploy?: { replicas?: number };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}

const compose = parseYaml(readFileSync(join(PROJECT_ROOT, "compose.yaml"), "utf8")) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};
const services = compose.services;
const bot = services.bot ?? {};
const lbName = Object.keys(services).find((n) => /^(nginx|caddy):/.test(services[n]?.image ?? "")) ?? "";
const lb = services[lbName] ?? {};
const postgres = services.postgres ?? {};

describe("compose.yaml", () => {
  it("runs two bot replicas built from the Dockerfile, reachable only through the load balancer", () => {
    expect(bot.build).toBeDefined();
    expect(bot.deploy?.replicas).toBe(2);
    expect(bot.ports, "the replicas are not published").toBeUndefined();
    expect(lbName, "an nginx or caddy official image in front").not.toBe("");
    expect(lb.ports).toEqual([expect.stringMatching(/:8080$/)]);
    expect(lb.depends_on?.bot?.condition).toBe("service_healthy");
    // Its configuration file exists and spreads requests over the bot service's port.
    const mount = lb.volumes?.find((v) => v.startsWith("./deploy/")) ?? "";
    const conf = readFileSync(join(PROJECT_ROOT, mount.split(":")[0] ?? ""), "utf8");
    expect(conf).toMatch(/server bot:3000 resolve;/);
    expect(conf).toMatch(/listen 8080;/);
    expect(bot.environment?.PORT).toBe("3000");
  });

  it("takes the platforms and their modes from an optional .env", () => {
    expect(bot.env_file).toEqual([{ path: ".env", required: false }]);
    // A Slack-only .env must not turn Discord on (and the reverse).
    for (const name of Object.keys(bot.environment ?? {})) expect(name).not.toMatch(/^(DISCORD|SLACK)_/);
  });

  it("shares one PostgreSQL, with a health check and a volume", () => {
    expect(bot.environment?.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
    expect(bot.depends_on?.postgres?.condition).toBe("service_healthy");
    expect(JSON.stringify(postgres.healthcheck?.test)).toMatch(/pg_isready/);
    const volume = postgres.volumes?.find((v) => v.endsWith(":/var/lib/postgresql/data")) ?? "";
    expect(Object.keys(compose.volumes ?? {})).toContain(volume.split(":")[0]);
  });

  it("checks the replicas' readiness with node, and restarts every service", () => {
    const test = bot.healthcheck?.test ?? [];
    expect(test[0]).toBe("CMD");
    expect(test[1]).toBe("node");
    expect(JSON.stringify(test)).toMatch(/\/readyz/);
    for (const [name, service] of Object.entries(services))
      expect(service.restart, name).toBe("unless-stopped");
  });
});
