import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Two cores here and in CI: keep the pool small so child-process tests don't starve.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 20_000,
    // beforeAll hooks start bots as child processes (tsx compiles on the fly): 10 s, vitest's
    // default, is not enough when both cores are busy.
    hookTimeout: 60_000,
    reporters: process.env.CI ? ["default"] : ["default"],
  },
});
