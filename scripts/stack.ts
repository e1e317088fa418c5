// The local stack: cognito-local seeded, D1 migrated locally, and the demo Worker under
// `wrangler dev` configured for the emulator. `npm start` and the end-to-end tests both use it.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { type LocalCognito, startLocalCognito } from './local-cognito.ts'

export interface StackOptions {
  /** Port of the demo Worker; `0` takes a free one. Default `8787`. */
  workerPort?: number
  /** Port of cognito-local; `0` takes a free one. Default `9229`. */
  cognitoPort?: number
  /** Where local D1 lives. Default `<repo>/.wrangler/state`. */
  persistTo?: string
  /** cognito-local's data directory (must be named `.cognito`). Default `<repo>/.cognito`. */
  cognitoDataDir?: string
  /** Keep the children's logs out of the terminal. Default `false`. */
  quiet?: boolean
}

export interface Stack {
  /** The demo Worker, e.g. `http://127.0.0.1:8787`. */
  url: string
  cognito: LocalCognito
  /** The Worker's settings (its `--var`s). */
  vars: Record<string, string>
  /** Runs SQL against the Worker's local D1 database and returns the rows. */
  query(sql: string): Record<string, unknown>[]
  stop(): Promise<void>
}

const root = resolve(import.meta.dirname, '..')
const wrangler = join(root, 'node_modules/.bin/wrangler')
const HOST = '127.0.0.1'

/** Resolves with a free port (the one asked for, or any with 0), or rejects naming the busy one. */
export function claimPort(port: number): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer()
    probe.once('error', () =>
      fail(new Error(`port ${port} on ${HOST} is already in use — stop what runs there, or pick another port`)),
    )
    probe.listen(port, HOST, () => {
      const { port: free } = probe.address() as { port: number }
      probe.close(() => done(free))
    })
  })
}

async function waitForWorker(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}) before serving:\n${log()}`)
    const health = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }).catch(() => null)
    if (health?.ok) return
    await new Promise((wake) => setTimeout(wake, 200))
  }
  throw new Error(`the demo Worker did not answer on ${url} within 60 s:\n${log()}`)
}

/** Runs SQL against the demo's local D1 database (as `wrangler d1 execute --local` does) and returns the rows. */
export function queryLocalD1(persistTo: string, sql: string): Record<string, unknown>[] {
  const out = execFileSync(wrangler, ['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--json', '--command', sql], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return (JSON.parse(out) as { results?: Record<string, unknown>[] }[])[0]?.results ?? []
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const persistTo = resolve(options.persistTo ?? join(root, '.wrangler/state'))
  const workerPort = await claimPort(options.workerPort ?? 8787)
  const url = `http://${HOST}:${workerPort}`
  // Managed login: the emulator's hosted UI redirects only to callback URLs its app client lists.
  const hostedUi = { callbackUrls: [`${url}/auth/oauth2/callback`], logoutUrls: [`${url}/`] }
  const cognito = await startLocalCognito({
    port: options.cognitoPort ?? 9229,
    quiet: options.quiet ?? false,
    hostedUi,
    ...(options.cognitoDataDir ? { dataDir: options.cognitoDataDir } : {}),
  })
  const vars: Record<string, string> = {
    COGNITO_POOL_ID: cognito.poolId,
    // The public client signs users in; the short-lived one (3 s tokens) shows refresh at work.
    APP_CLIENT_ID: `${cognito.clients.public.id},${cognito.clients.shortLived.id}`,
    COGNITO_ENDPOINT: cognito.endpoint,
    // Production-shaped iss (cognito-local's IssuerDomain), its keys at the emulator: both settings together.
    COGNITO_ISSUER: cognito.issuer,
    COGNITO_COOKIE_MODE: 'true',
    USE_CSRF: 'true',
    // Plain http on 127.0.0.1: no Secure, so no __Host- prefix either. Production keeps the default (true).
    SECURE_COOKIE: 'false',
    // The user table: D1 binding DB, a row created on first sight.
    COGNITO_USERS_D1: 'DB',
    AUTO_CREATE_USER: 'true',
    // Managed login through cognito-local's hosted UI (a login form at /oauth2/authorize).
    COGNITO_DOMAIN: cognito.endpoint,
    COGNITO_REDIRECT_URI: hostedUi.callbackUrls[0] as string,
    COGNITO_LOGOUT_URI: hostedUi.logoutUrls[0] as string,
    // A fresh secret per start: a sign-in in flight across a restart just starts again.
    COGNITO_COOKIE_SECRET: randomBytes(32).toString('base64url'),
    // cognito-local drops the nonce and has no /logout. Only ever set for an emulator on this machine
    // (the library refuses it for any other domain); never in wrangler.toml.
    COGNITO_UNSAFE_EMULATOR: 'true',
    // Sessions across isolates: the revocation list in the same D1, renewals through the Durable Object RENEWALS.
    COGNITO_REVOCATIONS_D1: 'DB',
    COGNITO_RENEWAL_DO: 'RENEWALS',
  }
  const stdio = (options.quiet ? 'ignore' : 'inherit') as 'ignore'
  try {
    execFileSync(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo], {
      cwd: root,
      stdio: ['ignore', stdio, 'pipe'],
      env: { ...process.env, CI: 'true' },
    })
  } catch (error) {
    await cognito.stop()
    throw error
  }
  const args = [
    'dev',
    '--ip',
    HOST,
    '--port',
    String(workerPort),
    '--persist-to',
    persistTo,
    '--show-interactive-dev-session=false',
  ]
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`)
  const child = spawn(wrangler, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  })
  const tail: string[] = []
  const capture = (sink: NodeJS.WriteStream) => (chunk: Buffer) => {
    if (tail.push(chunk.toString()) > 40) tail.shift()
    if (!options.quiet) sink.write(chunk)
  }
  child.stdout.on('data', capture(process.stdout))
  child.stderr.on('data', capture(process.stderr))
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  const killChild = () => void child.kill()
  process.once('exit', killChild)
  const stop = async () => {
    process.off('exit', killChild)
    if (child.exitCode === null) child.kill('SIGINT')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
    await cognito.stop()
  }
  try {
    await waitForWorker(url, child, () => tail.join(''))
  } catch (error) {
    await stop()
    throw error
  }
  return { url, cognito, vars, query: (sql) => queryLocalD1(persistTo, sql), stop }
}
