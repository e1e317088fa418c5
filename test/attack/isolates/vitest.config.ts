// The attack tests that need real workerd isolates (miniflare), in Node, as the `isolates` project of
// vitest.config.ts runs test/isolates. Run: npx vitest run --config test/attack/isolates/vitest.config.ts
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    name: 'attack-isolates',
    environment: 'node',
    include: ['test/attack/isolates/**/*.isolates.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
