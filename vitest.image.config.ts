import { defineConfig } from "vitest/config";

// `npm run test:image`: the slow production-layout test, kept out of `npm test`.
export default defineConfig({
  test: {
    include: ["test-image/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 600_000,
  },
});
