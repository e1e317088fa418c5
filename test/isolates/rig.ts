// The cross-isolate rig: one Worker, configured by env alone (settingsFromEnv), bundled from this
// checkout and run by miniflare as several workerd workers — separate isolates — that share one D1
// database and one Durable Object namespace; and a fake Cognito over HTTP in Node, whose refresh
// tokens rotate and can be spent once (as with rotation and no grace period).
import { build } from 'esbuild'
import { Miniflare, convertV4MiniflareOptions } from 'miniflare'
import { readFileSync, readdirSync } from 'node:fs'
import { type IncomingMessage, type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { rsaKey, jwksOf } from '../helpers/keys'
import { CLIENT_ID, ISSUER, POOL_ID, accessClaims, idClaims, mint } from '../helpers/tokens'

const root = resolve(import.meta.dirname, '../..')

/** The Worker: no option in code. The test routes only switch its D1 off and count its list's reads. */
const WORKER = `
import { Hono } from 'hono'
import { signOutEverywhere } from 'cognito-edge'
import { settingsFromEnv } from 'cognito-edge/d1'
import { createCognitoEdge } from 'cognito-edge/hono'
export { CognitoRenewals } from 'cognito-edge/durable'

let down = false
let reads = 0
const refused = () => Promise.reject(new Error('D1_ERROR: Network connection lost.'))
const broken = { bind() { return broken }, all: refused, raw: refused, run: refused, first: refused }
// The D1 binding as the list sees it: counted, and unreachable on demand.
const flaky = (db) => new Proxy(db, {
  get(target, property) {
    if (property === 'prepare') return (sql) => {
      if (/from "cognito_revocations"/i.test(sql) && /^select/i.test(sql)) reads++
      return down ? broken : target.prepare(sql)
    }
    if (property === 'batch') return (statements) => (down ? refused() : target.batch(statements))
    const value = target[property]
    return typeof value === 'function' ? value.bind(target) : value
  },
})

const edge = createCognitoEdge((env) => settingsFromEnv({ ...env, DB: flaky(env.DB) }))
const app = new Hono()
app.route('/auth', edge.routes())
app.use('/api/*', edge.auth())
app.get('/api/me', (c) => c.json({ sub: c.var.cognito.claims.sub, refreshed: c.var.cognito.refreshed }))
app.post('/api/sign-out-everywhere', async (c) =>
  c.json(await signOutEverywhere(edge.for(c.env), { accessToken: c.var.cognito.tokens.access })),
)
app.post('/test/d1', async (c) => {
  down = (await c.req.json()).down
  return c.json({ down })
})
app.get('/test/reads', (c) => c.json({ reads }))
export default app
`

export const signingKey = await rsaKey('isolates-key')

interface SignIn {
  readonly sub: string
  readonly originJti: string
  readonly authTime: number
}

export interface FakeCognito {
  readonly endpoint: string
  /** Operations called, in order. */
  readonly calls: string[]
  /** A sign-in: ID and access tokens (its own origin_jti) and a refresh token Cognito knows. */
  signIn(options?: { sub?: string; expired?: boolean; authTime?: number }): Promise<Record<string, string>>
  close(): Promise<void>
}

const seconds = () => Math.floor(Date.now() / 1000)

async function tokensFor(signIn: SignIn, expired: boolean): Promise<{ id: string; access: string }> {
  const now = seconds()
  const times = expired
    ? { iat: now - 3700, exp: now - 100, auth_time: signIn.authTime }
    : { iat: now, exp: now + 3600, auth_time: signIn.authTime }
  const common = { sub: signIn.sub, origin_jti: signIn.originJti, iss: ISSUER, ...times }
  return {
    id: await mint(signingKey, idClaims({ ...common, aud: CLIENT_ID, jti: crypto.randomUUID() })),
    access: await mint(signingKey, accessClaims({ ...common, client_id: CLIENT_ID, jti: crypto.randomUUID() })),
  }
}

async function body(request: IncomingMessage): Promise<Record<string, unknown>> {
  let text = ''
  for await (const chunk of request) text += chunk
  return text ? (JSON.parse(text) as Record<string, unknown>) : {}
}

/** Cognito over HTTP: the key set, and the operations the Worker calls. Renewals take `renewalMs`. */
export async function startFakeCognito(renewalMs = 300): Promise<FakeCognito> {
  const live = new Map<string, SignIn>() // refresh token → its sign-in, until spent or revoked
  const calls: string[] = []
  const answer = (status: number, value: unknown) => ({ status, value })
  async function handle(operation: string, input: Record<string, unknown>) {
    calls.push(operation)
    if (operation === 'RevokeToken') {
      live.delete(String(input.Token))
      return answer(200, {})
    }
    if (operation === 'GlobalSignOut') return answer(200, {})
    if (operation !== 'InitiateAuth') return answer(400, { __type: 'InvalidParameterException', message: operation })
    const refreshToken = String((input.AuthParameters as Record<string, unknown>)?.REFRESH_TOKEN)
    const signIn = live.get(refreshToken)
    live.delete(refreshToken) // rotation without a grace period: a refresh token is spent once
    await new Promise((wake) => setTimeout(wake, renewalMs))
    if (!signIn) return answer(400, { __type: 'NotAuthorizedException', message: 'Invalid Refresh Token' })
    const rotated = `refresh-${crypto.randomUUID()}`
    live.set(rotated, signIn)
    const { id, access } = await tokensFor(signIn, false)
    return answer(200, { AuthenticationResult: { IdToken: id, AccessToken: access, RefreshToken: rotated, ExpiresIn: 3600 } })
  }
  const server: Server = createServer(async (request, response) => {
    if (request.method === 'GET' && request.url?.endsWith('/.well-known/jwks.json')) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwksOf(signingKey)))
      return
    }
    const operation = String(request.headers['x-amz-target'] ?? '').replace('AWSCognitoIdentityProviderService.', '')
    const { status, value } = await handle(operation, await body(request))
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(value))
  })
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    async signIn(options = {}) {
      const signIn = {
        sub: options.sub ?? crypto.randomUUID(),
        originJti: crypto.randomUUID(),
        authTime: options.authTime ?? seconds() - 60,
      }
      const refresh = `refresh-${crypto.randomUUID()}`
      live.set(refresh, signIn)
      const { id, access } = await tokensFor(signIn, options.expired ?? false)
      return { IDTOKEN: id, ACCESSTOKEN: access, REFRESHTOKEN: refresh }
    },
    close: () => new Promise((done) => server.close(() => done())),
  }
}

export interface WorkerSpec {
  readonly name: string
  readonly vars: Record<string, string>
  /** Defines the Durable Object class (one worker does; the others bind to it). */
  readonly definesRenewals?: boolean
}

/** The Worker bundled once, run as each spec: its own isolate, the shared D1 `DB`, the shared namespace `RENEWALS`. */
export async function startIsolates(cognito: FakeCognito, specs: readonly WorkerSpec[]): Promise<Miniflare> {
  const bundle = await build({
    stdin: { contents: WORKER, resolveDir: root, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser', 'import'],
    mainFields: ['module', 'main'],
    alias: {
      'cognito-edge': resolve(root, 'src/index.ts'),
      'cognito-edge/d1': resolve(root, 'src/d1/index.ts'),
      'cognito-edge/hono': resolve(root, 'src/hono/index.ts'),
      'cognito-edge/durable': resolve(root, 'src/durable/index.ts'),
    },
    logLevel: 'error',
  })
  const script = bundle.outputFiles[0]?.text ?? ''
  const owner = specs.find((spec) => spec.definesRenewals)?.name
  const base = {
    COGNITO_POOL_ID: POOL_ID,
    APP_CLIENT_ID: CLIENT_ID,
    COGNITO_ENDPOINT: cognito.endpoint,
    COGNITO_ISSUER: ISSUER,
  }
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      workers: specs.map((spec) => ({
        name: spec.name,
        modules: true,
        script,
        compatibilityDate: '2026-11-01',
        d1Databases: { DB: 'shared-sessions-db' },
        ...(owner
          ? {
              durableObjects: {
                RENEWALS: spec.definesRenewals ? 'CognitoRenewals' : { className: 'CognitoRenewals', scriptName: owner },
              },
            }
          : {}),
        bindings: { ...base, ...spec.vars },
      })),
    }),
  )
  // The package's migrations, as `wrangler d1 migrations apply` runs them.
  const db = await mf.getD1Database('DB', specs[0]?.name)
  for (const file of readdirSync(resolve(root, 'migrations'))
    .filter((name) => name.endsWith('.sql'))
    .sort()) {
    const sql = readFileSync(resolve(root, 'migrations', file), 'utf8')
    for (const statement of sql.split('--> statement-breakpoint')) if (statement.trim()) await db.prepare(statement).run()
  }
  return mf
}

/** A request to one isolate. */
export async function request(mf: Miniflare, worker: string, path: string, init: RequestInit = {}): Promise<Response> {
  const fetcher = await mf.getWorker(worker)
  return (await fetcher.fetch(`https://app.example${path}`, init as never)) as unknown as Response
}
