// Runs cognito-local (the Cognito emulator) on 127.0.0.1, seeded with a fixed pool, app clients, demo user and
// admin group, for `npm start` and the end-to-end tests. `node scripts/local-cognito.ts` runs it until Ctrl-C.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { basename, dirname, join, resolve } from 'node:path'

export interface LocalCognitoOptions {
  /** Port to listen on; `0` takes any free port. Default `9229`. */
  port?: number
  /** Interface to listen on. Default `'127.0.0.1'`. */
  host?: string
  /** The emulator's data directory; cognito-local reads `./.cognito`, so the name must be `.cognito`. Default `<repo>/.cognito`. */
  dataDir?: string
  /** `iss` is this + `/<poolId>`. Default `'https://cognito-idp.us-east-1.amazonaws.com'`, the production shape. */
  issuerDomain?: string
  /** A fixed code for sign-up confirmation, forgot-password and SMS MFA (cognito-local's `CODE`). Default: random, logged. */
  code?: string
  /** Keep the emulator's log off the console (startup errors still quote it). Default `false`. */
  quiet?: boolean
  /** Milliseconds to wait for the emulator to answer. Default `15000`. */
  startTimeoutMs?: number
  /**
   * The public client's hosted-UI callback URLs (its `CallbackURLs`: the emulator's /oauth2/authorize
   * refuses any other redirect_uri) and sign-out URLs. Default: the demo's on `http://127.0.0.1:8787`.
   */
  hostedUi?: { callbackUrls: string[]; logoutUrls: string[] }
}

export interface LocalCognito {
  endpoint: string
  region: 'us-east-1'
  poolId: string
  issuer: string
  jwksUri: string
  clients: {
    public: { id: string }
    secret: { id: string; secret: string }
    /** ID and access tokens of this client expire `validitySeconds` after they are issued. */
    shortLived: { id: string; validitySeconds: number }
  }
  /** `username` signs in; the pool signs in by email, so `cognito:username` (access token: `username`) is the `sub`, as on AWS. */
  demoUser: { username: string; email: string; password: string; sub: string }
  adminGroup: 'admins'
  stop(): Promise<void>
}

const REGION = 'us-east-1'
const POOL_ID = `${REGION}_CognitoEdge`
const ADMIN_GROUP = 'admins'
const DEMO = { email: 'demo@example.com', password: 'Demo-Passw0rd!', sub: '5f0c6a1e-3b2d-4c8e-9a71-2e6b4d8f0c15' }
const CLIENTS = {
  public: { id: 'cognitoedgepublicclient001' },
  secret: { id: 'cognitoedgesecretclient001', secret: 'cognitoedgelocalclientsecret0000000000000000000000001' },
  shortLived: { id: 'cognitoedgeshortlived00001', validitySeconds: 3 },
}
const SEEDED_AT = '2025-01-01T00:00:00.000Z'
const packageDir = dirname(createRequire(import.meta.url).resolve('cognito-local/package.json'))
// The child exits when its stdin pipe closes, so even a parent killed with SIGKILL leaves no emulator behind.
const ORPHAN_GUARD = "process.stdin.on('end', () => process.exit(0)).resume(); require(process.argv[1])"

/** Calls one Cognito API operation the way the AWS SDK does; rejects with the Cognito error type in the message and `type`. */
export async function cognitoCall(endpoint: string, operation: string, body: object): Promise<Record<string, unknown>> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(body),
  })
  const json = (await response.json()) as Record<string, unknown>
  if (response.ok) return json
  const type = String(json.__type ?? response.status)
  throw Object.assign(new Error(`${operation} failed: ${type}: ${String(json.message ?? '')}`), { type })
}

/** Fails with a message naming the port when it is taken; resolves with the port (the one picked, for `0`). */
function claimPort(port: number, host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer()
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') return reject(error)
      reject(new Error(`cognito-local: port ${port} on ${host} is already in use (another emulator or npm start?)`))
    })
    probe.listen(port, host, () => {
      const address = probe.address()
      probe.close(() => resolvePort(typeof address === 'object' && address !== null ? address.port : port))
    })
  })
}

function readJson(file: string): Record<string, unknown> {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {}
}

const DEMO_HOSTED_UI = {
  callbackUrls: ['http://127.0.0.1:8787/auth/oauth2/callback'],
  logoutUrls: ['http://127.0.0.1:8787/'],
}

/** What a Cognito app client with the hosted UI (managed login) on has: the code flow, its scopes and URLs. */
function hostedUiClient(urls: { callbackUrls: string[]; logoutUrls: string[] }) {
  return {
    AllowedOAuthFlows: ['code'],
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthScopes: ['openid', 'email', 'profile'],
    SupportedIdentityProviders: ['COGNITO'],
    CallbackURLs: urls.callbackUrls,
    LogoutURLs: urls.logoutUrls,
  }
}

function appClient(id: string, name: string, validity: number, unit: string, secret?: string) {
  return {
    ClientId: id,
    ClientName: name,
    ...(secret === undefined ? {} : { ClientSecret: secret }),
    UserPoolId: POOL_ID,
    AccessTokenValidity: validity,
    IdTokenValidity: validity,
    RefreshTokenValidity: 30,
    TokenValidityUnits: { AccessToken: unit, IdToken: unit, RefreshToken: 'days' },
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    EnableTokenRevocation: true,
    CreationDate: SEEDED_AT,
    LastModifiedDate: SEEDED_AT,
  }
}

/**
 * What the API cannot do, written to the data files before the emulator starts: the server config, a pool
 * with a Cognito-shaped id, clients with fixed ids and secret, and the demo user with a fixed username (in an
 * email-sign-in pool AdminCreateUser picks a random one). Users, groups and other clients already there are kept.
 */
function writeDataFiles(
  dataDir: string,
  port: number,
  host: string,
  issuerDomain: string,
  hostedUi: { callbackUrls: string[]; logoutUrls: string[] },
): void {
  const db = join(dataDir, 'db')
  mkdirSync(db, { recursive: true })
  const config = readJson(join(dataDir, 'config.json'))
  const server = { ...(config.ServerConfig as object), port, hostname: host }
  const token = { ...(config.TokenConfig as object), IssuerDomain: issuerDomain }
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ ...config, ServerConfig: server, TokenConfig: token }, null, 2))

  const pool = readJson(join(db, `${POOL_ID}.json`))
  const users = (pool.Users ?? {}) as Record<string, { RefreshTokens?: unknown }>
  // The demo user is reset on every start (its refresh tokens survive); other users are left alone.
  const demoUser = {
    Username: DEMO.sub,
    Attributes: [
      { Name: 'email', Value: DEMO.email },
      { Name: 'email_verified', Value: 'true' },
      { Name: 'sub', Value: DEMO.sub },
    ],
    Enabled: true,
    UserStatus: 'CONFIRMED',
    UserCreateDate: SEEDED_AT,
    UserLastModifiedDate: SEEDED_AT,
    RefreshTokens: users[DEMO.sub]?.RefreshTokens ?? [],
  }
  const options = {
    Id: POOL_ID,
    Name: 'cognito-edge-local',
    Arn: `arn:aws:cognito-idp:${REGION}:000000000000:userpool/${POOL_ID}`,
    UsernameAttributes: ['email'],
    AutoVerifiedAttributes: ['email'],
    MfaConfiguration: 'OFF',
    CreationDate: SEEDED_AT,
    LastModifiedDate: SEEDED_AT,
  }
  // `Groups: {}`: without it cognito-local answers GetGroup with a 500 instead of ResourceNotFoundException.
  const seededPool = { Groups: {}, ...pool, Options: options, Users: { ...users, [DEMO.sub]: demoUser } }
  writeFileSync(join(db, `${POOL_ID}.json`), JSON.stringify(seededPool, null, 2))

  const clients = readJson(join(db, 'clients.json'))
  const seededClients = {
    [CLIENTS.public.id]: { ...appClient(CLIENTS.public.id, 'public', 1, 'hours'), ...hostedUiClient(hostedUi) },
    [CLIENTS.secret.id]: appClient(CLIENTS.secret.id, 'with-secret', 1, 'hours', CLIENTS.secret.secret),
    [CLIENTS.shortLived.id]: appClient(CLIENTS.shortLived.id, 'short-lived', CLIENTS.shortLived.validitySeconds, 'seconds'),
  }
  const allClients = { ...clients, Clients: { ...(clients.Clients as object), ...seededClients } }
  writeFileSync(join(db, 'clients.json'), JSON.stringify(allClients, null, 2))
}

/** The rest goes through the API, idempotently: the admin group, the password, the membership. */
async function seed(endpoint: string): Promise<void> {
  const pool = { UserPoolId: POOL_ID }
  const { Groups } = (await cognitoCall(endpoint, 'ListGroups', pool)) as { Groups: { GroupName: string }[] }
  if (!Groups.some((group) => group.GroupName === ADMIN_GROUP)) {
    await cognitoCall(endpoint, 'CreateGroup', { ...pool, GroupName: ADMIN_GROUP, Description: 'cognito-edge demo admins' })
  }
  await cognitoCall(endpoint, 'AdminSetUserPassword', { ...pool, Username: DEMO.email, Password: DEMO.password, Permanent: true })
  await cognitoCall(endpoint, 'AdminAddUserToGroup', { ...pool, Username: DEMO.email, GroupName: ADMIN_GROUP })
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`cognito-local exited (${child.exitCode ?? child.signalCode}) before answering:\n${log()}`)
    }
    const health = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) }).catch(() => null)
    if (health?.ok) return
    await new Promise((wake) => setTimeout(wake, 100))
  }
  throw new Error(`cognito-local did not answer on ${endpoint} within ${timeoutMs} ms:\n${log()}`)
}

/** Starts and seeds the emulator; resolves once it answers. Call `stop()` when done (exit and signals also stop it). */
export async function startLocalCognito(options: LocalCognitoOptions = {}): Promise<LocalCognito> {
  const host = options.host ?? '127.0.0.1'
  const dataDir = resolve(options.dataDir ?? join(import.meta.dirname, '..', '.cognito'))
  const issuerDomain = (options.issuerDomain ?? `https://cognito-idp.${REGION}.amazonaws.com`).replace(/\/+$/, '')
  if (basename(dataDir) !== '.cognito') throw new Error(`cognito-local: dataDir must be named .cognito, got ${dataDir}`)
  const port = await claimPort(options.port ?? 9229, host)
  const endpoint = `http://${host}:${port}`
  writeDataFiles(dataDir, port, host, issuerDomain, options.hostedUi ?? DEMO_HOSTED_UI)

  const child = spawn(process.execPath, ['-e', ORPHAN_GUARD, join(packageDir, 'lib/bin/start.js')], {
    cwd: dirname(dataDir),
    env: {
      ...process.env,
      AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
      ...(options.code === undefined ? {} : { CODE: options.code }),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const tail: string[] = [] // the last lines of its log, quoted when it fails to start
  const capture = (sink: NodeJS.WriteStream) => (chunk: Buffer) => {
    if (tail.push(chunk.toString()) > 50) tail.shift()
    if (!options.quiet) sink.write(chunk)
  }
  child.stdout.on('data', capture(process.stdout))
  child.stderr.on('data', capture(process.stderr))

  const killChild = () => void child.kill()
  const onSignal = (signal: NodeJS.Signals) => {
    killChild()
    // Ours was the only handler: let the signal do what it would have done without us.
    if (process.listenerCount(signal) === 0) setImmediate(() => process.kill(process.pid, signal))
  }
  process.once('exit', killChild).once('SIGINT', onSignal).once('SIGTERM', onSignal)
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  let stopping: Promise<void> | undefined
  const stop = () => {
    stopping ??= (async () => {
      process.off('exit', killChild).off('SIGINT', onSignal).off('SIGTERM', onSignal)
      if (child.exitCode === null && child.signalCode === null) child.kill()
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await exited
      clearTimeout(timer)
    })()
    return stopping
  }

  try {
    await waitUntilAnswering(endpoint, child, options.startTimeoutMs ?? 15_000, () => tail.join(''))
    await seed(endpoint)
  } catch (error) {
    await stop()
    throw error
  }
  return {
    endpoint,
    region: REGION,
    poolId: POOL_ID,
    issuer: `${issuerDomain}/${POOL_ID}`,
    jwksUri: `${endpoint}/${POOL_ID}/.well-known/jwks.json`,
    clients: structuredClone(CLIENTS),
    demoUser: { username: DEMO.email, ...DEMO },
    adminGroup: ADMIN_GROUP,
    stop,
  }
}

if (import.meta.main) {
  const cognito = await startLocalCognito()
  console.log(`cognito-local on ${cognito.endpoint} (Ctrl-C stops it)
  pool        ${cognito.poolId}   iss ${cognito.issuer}
  key set     ${cognito.jwksUri}
  clients     public ${cognito.clients.public.id}
              secret ${cognito.clients.secret.id} (secret ${cognito.clients.secret.secret})
              short-lived ${cognito.clients.shortLived.id} (${cognito.clients.shortLived.validitySeconds} s tokens)
  demo user   ${cognito.demoUser.username} / ${cognito.demoUser.password} (sub ${cognito.demoUser.sub}, group ${cognito.adminGroup})
  settings    COGNITO_POOL_ID=${cognito.poolId} APP_CLIENT_ID=${cognito.clients.public.id} COGNITO_ENDPOINT=${cognito.endpoint}`)
}
