import { defineConfig } from 'vitest/config';

/** Tiers as projects: unit (pure logic), integration (real SQLite, keychain, servers), e2e (Chromium), electron. */
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node', testTimeout: 20_000 } },
      { test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 120_000 } },
      // A page repaints on its own schedule: polls get 10 s (not vitest's 1 s) before they fail.
      { test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 240_000, fileParallelism: false, expect: { poll: { timeout: 10_000 } } } },
      { test: { name: 'electron', include: ['tests/electron/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 240_000 } },
    ],
  },
});
