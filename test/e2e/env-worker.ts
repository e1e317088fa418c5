// A Worker configured by env alone, as the seed was by its Django settings: its code passes no
// option. Bundled from this checkout's source and run in workerd (miniflare) with its own D1
// (the package's migration applied), against the stack's cognito-local.
import { build } from 'esbuild'
import { Miniflare, convertV4MiniflareOptions } from 'miniflare'
import { readFileSync, readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { stack } from './helpers'

const root = resolve(import.meta.dirname, '../..')

/** The whole Worker: no options in code. */
const WORKER = `
import { Hono } from 'hono'
import { settingsFromEnv } from 'cognito-edge/d1'
import { createCognitoEdge } from 'cognito-edge/hono'

const edge = createCognitoEdge(settingsFromEnv)
const app = new Hono()
app.route('/auth', edge.routes())
app.use('/api/*', edge.auth())
app.get('/api/me', (c) => c.json(c.var.cognito.user))
export default app
`

export async function envOnlyWorker(vars: Record<string, string>): Promise<Miniflare> {
  const bundle = await build({
    stdin: { contents: WORKER, resolveDir: root, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser', 'import'],
    mainFields: ['module', 'main'],
    alias: {
      'cognito-edge/d1': resolve(root, 'src/d1/index.ts'),
      'cognito-edge/hono': resolve(root, 'src/hono/index.ts'),
    },
    logLevel: 'error',
  })
  const worker = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: bundle.outputFiles[0]?.text ?? '',
      compatibilityDate: '2026-11-01',
      d1Databases: ['USERS'],
      bindings: vars,
    }),
  )
  // The package's migration, as `wrangler d1 migrations apply` runs it.
  const db = await worker.getD1Database('USERS')
  for (const file of readdirSync(resolve(root, 'migrations')).filter((name) => name.endsWith('.sql'))) {
    const sql = readFileSync(resolve(root, 'migrations', file), 'utf8')
    for (const statement of sql.split('--> statement-breakpoint')) if (statement.trim()) await db.prepare(statement).run()
  }
  return worker
}

/** The seed's settings for the stack: header sessions (no cookie mode), users in the D1 binding USERS. */
export const settings = (): Record<string, string> => ({
  COGNITO_POOL_ID: stack.poolId,
  APP_CLIENT_ID: stack.clients.public.id,
  COGNITO_ENDPOINT: stack.endpoint,
  COGNITO_ISSUER: stack.issuer,
  COGNITO_USERS_D1: 'USERS',
  AUTO_CREATE_USER: 'true',
  // Not the default mapping: the username column takes the email, so the row shows the setting took effect.
  COGNITO_USER_FIELD_MAPPING: '{"username": "email"}',
})
