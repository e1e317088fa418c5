import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// The demo Worker imports the package by name; in tests that name is this checkout's source
// (as wrangler.toml's [alias] does for wrangler), never a stale dist/.
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const alias = [
  { find: /^cognito-edge$/, replacement: source('./src/index.ts') },
  { find: /^cognito-edge\/hono$/, replacement: source('./src/hono/index.ts') },
  { find: /^cognito-edge\/d1$/, replacement: source('./src/d1/index.ts') },
  { find: /^cognito-edge\/durable$/, replacement: source('./src/durable/index.ts') },
]

// Two projects: everything runs inside workerd with a real local D1; the framework-free core
// (settings from env, token verification, the Cognito operations) runs again under plain Node to
// prove it is WinterCG-portable.
const portable = [
  'test/env.test.ts',
  'test/token/**/*.test.ts',
  'test/cognito/**/*.test.ts',
  'test/session/**/*.test.ts',
  'test/security/key-set-*.test.ts',
  'test/fuzz/verifier.fuzz.test.ts',
]

// Property-based fuzzing (test/fuzz): runs per property, and whether to print outcome counts.
// `npm test` keeps the default bound; `npm run fuzz` (scripts/fuzz.ts) raises it and reports.
const fuzz = { fuzzRuns: Number(process.env.FUZZ_RUNS ?? 2000), fuzzReport: process.env.FUZZ_REPORT === '1' }

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: { TEST_MIGRATIONS: await readD1Migrations('./migrations') },
            },
          })),
        ],
        resolve: { alias },
        test: {
          name: 'workerd',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/node/**', 'test/isolates/**'],
          setupFiles: ['./test/helpers/apply-migrations.ts'],
          provide: fuzz,
        },
      },
      {
        test: {
          name: 'node',
          environment: 'node',
          // test/node: checks of the package itself that need Node (the TypeScript compiler API).
          include: [...portable, 'test/node/**/*.test.ts'],
          provide: fuzz,
        },
      },
      {
        // Several workerd isolates of one Worker sharing D1 and a Durable Object (miniflare), in Node.
        test: {
          name: 'isolates',
          environment: 'node',
          include: ['test/isolates/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['./test/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
