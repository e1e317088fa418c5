// Bindings of the demo Worker (wrangler.toml) and of the test runner (vitest.config.ts).
import type { D1Migration } from 'cloudflare:test'

declare global {
  namespace Cloudflare {
    interface Env {
      DB: D1Database
      RENEWALS: DurableObjectNamespace
      TEST_MIGRATIONS: D1Migration[]
    }
  }
}

export {}
