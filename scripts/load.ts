// `npm run load`: autocannon against the demo Worker under `wrangler dev` (npm start's stack, on
// free loopback ports and throwaway directories), one case after another with the bare route first:
// req/s, p50, p99 and non-2xx per case, each session case's throughput as a share of the bare
// route's, and the memory of the wrangler and workerd processes at the start and end of each case.
// Not part of npm test. LOAD_DURATION (seconds per case, default 20) and LOAD_CONNECTIONS (default 32).
import autocannon from 'autocannon'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cognitoCall } from './local-cognito.ts'
import { type Stack, startStack } from './stack.ts'

const DURATION = Number(process.env.LOAD_DURATION ?? 20)
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 32)
/** Expired sessions renewed once each in the "renewal, a Cognito call per request" case. */
const RENEWALS = Number(process.env.LOAD_RENEWALS ?? 400)
const CSRF = { cookie: 'csrftoken=load-csrf', header: 'load-csrf' }
let handedOut = 0 // expired sessions handed to requests in that case

type Tokens = Record<'IdToken' | 'AccessToken' | 'RefreshToken', string>

interface Case {
  readonly name: string
  /** What one request does, for the printed report. */
  readonly measures: string
  /** Every answer must be 2xx. */
  readonly session: boolean
  readonly options: autocannon.Options
}

interface Measured {
  readonly name: string
  readonly session: boolean
  readonly result: autocannon.Result
  readonly memory: MemoryTrace
}

async function signIn(stack: Stack, clientId: string): Promise<Tokens> {
  const { username, password } = stack.cognito.demoUser
  const answer = await cognitoCall(stack.cognito.endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  })
  return answer.AuthenticationResult as Tokens
}

/** The demo's own login: its session cookies, as a browser would send them back. */
async function loginCookies(stack: Stack): Promise<string> {
  const { username, password } = stack.cognito.demoUser
  const res = await fetch(`${stack.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: CSRF.cookie, CsrfToken: CSRF.header },
    body: JSON.stringify({ username, password }),
  })
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`)
  return res.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ')
}

const expiredHeaders = (tokens: Tokens) => ({
  IDTOKEN: tokens.IdToken,
  ACCESSTOKEN: tokens.AccessToken,
  REFRESHTOKEN: tokens.RefreshToken,
})

async function cases(stack: Stack): Promise<Case[]> {
  const { public: publicClient, shortLived } = stack.cognito.clients
  const header = await signIn(stack, publicClient.id)
  const cookie = await loginCookies(stack)
  // Short-lived sessions (3 s tokens), signed in now and expired by the time their cases run.
  const replayed = await signIn(stack, shortLived.id)
  const renewals: Tokens[] = []
  for (let i = 0; i < RENEWALS; i++) renewals.push(await signIn(stack, shortLived.id))
  const { username, password } = stack.cognito.demoUser
  const at = (path: string) => ({ url: `${stack.url}${path}`, connections: CONNECTIONS, duration: DURATION })
  return [
    { name: 'bare route', measures: 'GET /health: no auth', session: false, options: at('/health') },
    {
      name: 'header session',
      measures: 'GET /api/me, IDTOKEN + ACCESSTOKEN already seen: verified-token cache, cached user row',
      session: true,
      options: { ...at('/api/me'), headers: { IDTOKEN: header.IdToken, ACCESSTOKEN: header.AccessToken } },
    },
    {
      name: 'cookie session',
      measures: "GET /api/me with the demo's login cookies",
      session: true,
      options: { ...at('/api/me'), headers: { cookie } },
    },
    {
      name: 'renewal, remembered',
      measures:
        'GET /api/me, one expired session + REFRESHTOKEN on every request: the first renews through Cognito, ' +
        'the rest get the renewal remembered (in the isolate and in the renewal coordinator) while its tokens live — ' +
        'with the 3 s client, a new renewal every 3 s (test/reliability/remembered-renewal-outlives-its-tokens.test.ts, ' +
        'test/durable/renewals.test.ts); each verifies the two expired tokens again (expired tokens are not cached)',
      session: true,
      options: { ...at('/api/me'), headers: expiredHeaders(replayed) },
    },
    {
      name: 'renewal, Cognito call',
      measures: `GET /api/me, ${RENEWALS} distinct expired sessions, each once: every request is a real InitiateAuth REFRESH_TOKEN_AUTH at cognito-local plus verifying the two new tokens`,
      session: true,
      options: {
        url: `${stack.url}/api/me`,
        connections: CONNECTIONS,
        amount: RENEWALS,
        requests: [
          {
            setupRequest: (request) => ({ ...request, headers: expiredHeaders(renewals[handedOut++ % RENEWALS] as Tokens) }),
          },
        ],
      },
    },
    {
      name: 'login',
      measures: 'POST /auth/login (CSRF cookie + header): InitiateAuth at cognito-local, verifying the new tokens, cookies',
      session: true,
      options: {
        ...at('/auth/login'),
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: CSRF.cookie, CsrfToken: CSRF.header },
        body: JSON.stringify({ username, password }),
      },
    },
    {
      name: 'bare route, again',
      measures: 'GET /health once more: the drift of the run',
      session: false,
      options: at('/health'),
    },
  ]
}

/** Resident memory (bytes) of the processes under this one: workerd, and wrangler's own Node processes. */
type Memory = Record<'workerd' | 'wrangler', number>
/** Memory at the start and end of a case, and its peak (sampled once a second). */
type MemoryTrace = Record<'start' | 'end' | 'peak', Memory>

function procFile(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8')
  } catch {
    return '' // the process has gone
  }
}

function memoryOf(root: number): Memory {
  const parents = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    const stat = procFile(Number(entry), 'stat') // "pid (comm) state ppid …"; comm may hold spaces
    if (/^\d+$/.test(entry) && stat) parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
  }
  const under = (pid: number): boolean => pid === root || (pid > 1 && under(parents.get(pid) ?? 0))
  const memory: Memory = { workerd: 0, wrangler: 0 }
  for (const pid of parents.keys()) {
    if (pid === root || !under(pid)) continue
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(procFile(pid, 'status'))?.[1] ?? 0) * 1024
    const command = procFile(pid, 'cmdline').replaceAll('\0', ' ')
    if (procFile(pid, 'comm').trim() === 'workerd') memory.workerd += rss
    else if (command.includes('wrangler') && !command.includes('cognito-local')) memory.wrangler += rss
  }
  return memory
}

const MB = 1024 * 1024
const mb = (bytes: number) => (bytes / MB).toFixed(0)

/** Runs `run`, sampling memory at its start and end and once a second in between. */
async function sampled<T>(run: () => Promise<T>): Promise<{ value: T; memory: MemoryTrace }> {
  const start = memoryOf(process.pid)
  const peak = { ...start }
  const timer = setInterval(() => {
    const now = memoryOf(process.pid)
    peak.workerd = Math.max(peak.workerd, now.workerd)
    peak.wrangler = Math.max(peak.wrangler, now.wrangler)
  }, 1000)
  try {
    const value = await run()
    return { value, memory: { start, end: memoryOf(process.pid), peak } }
  } finally {
    clearInterval(timer)
  }
}

/** Growth worth a flag: more than 16 MB and more than 10 % within one case. */
const grew = (before: number, after: number) => after - before > 16 * MB && after > before * 1.1

function report(measured: Measured[], plan: Case[]): boolean {
  const bareRuns = measured.filter(({ session }) => !session).map(({ result }) => result.requests.average)
  const bare = bareRuns.reduce((sum, value) => sum + value, 0) / Math.max(1, bareRuns.length)
  const rows = measured.map(({ name, session, result, memory }) => {
    const { start, end, peak } = memory
    const perRequest = (end.workerd - start.workerd) / 1024 / Math.max(1, result.requests.total)
    return [
      name,
      result.requests.average.toFixed(0),
      `${result.latency.p50} ms`,
      `${result.latency.p99} ms`,
      String(result.non2xx + result.errors),
      session ? `${((result.requests.average / bare) * 100).toFixed(0)} %` : '—',
      `${mb(start.workerd)} → ${mb(end.workerd)} (peak ${mb(peak.workerd)})${grew(start.workerd, end.workerd) ? ' GREW' : ''}`,
      perRequest.toFixed(1),
      `${mb(start.wrangler)} → ${mb(end.wrangler)}${grew(start.wrangler, end.wrangler) ? ' GREW' : ''}`,
    ]
  })
  const head = ['case', 'req/s', 'p50', 'p99', 'non-2xx', 'of bare', 'workerd RSS, MB', 'KB/req', 'wrangler RSS, MB']
  const widths = head.map((_, i) => Math.max(...[head, ...rows].map((row) => (row[i] ?? '').length)))
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`
  console.log(`\n${line(head)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n`)
  console.log(`"of bare": req/s as a share of the bare route's mean over its ${bareRuns.length} runs (${bare.toFixed(0)} req/s).`)
  console.log('KB/req: workerd RSS growth over the case per request; the bare route shows what wrangler dev itself keeps.\n')
  for (const { name, measures } of plan) console.log(`  ${name}: ${measures}`)
  const failed = measured.filter(({ session, result }) => session && result.non2xx + result.errors > 0)
  for (const { name, result } of failed)
    console.log(`\nFAILED ${name}: ${result.non2xx} non-2xx ${JSON.stringify(result.statusCodeStats)}, ${result.errors} errors`)
  return failed.length === 0
}

const scratch = mkdtempSync(join(tmpdir(), 'cognito-edge-load-'))
let stack: Stack | undefined
try {
  console.log(`starting the stack (cognito-local, local D1, wrangler dev) on free loopback ports…`)
  stack = await startStack({
    workerPort: 0,
    cognitoPort: 0,
    persistTo: join(scratch, 'd1'),
    cognitoDataDir: join(scratch, '.cognito'),
    quiet: true,
  })
  const plan = await cases(stack)
  await new Promise((resolve) => setTimeout(resolve, (stack?.cognito.clients.shortLived.validitySeconds ?? 3) * 1000 + 1000))
  console.log(`${stack.url}: ${plan.length} cases, ${CONNECTIONS} connections, ${DURATION} s each`)
  const measured: Measured[] = []
  for (const each of plan) {
    process.stdout.write(`  ${each.name}… `)
    const { value: result, memory } = await sampled(() => autocannon(each.options))
    console.log(`${result.requests.average.toFixed(0)} req/s`)
    measured.push({ name: each.name, session: each.session, result, memory })
  }
  const ok = report(measured, plan)
  console.log(`renewal, Cognito call: ${handedOut} requests set up over ${RENEWALS} sessions`)
  await new Promise((resolve) => setTimeout(resolve, 5000))
  const idle = memoryOf(process.pid)
  console.log(`\nafter the run and 5 s idle: workerd ${mb(idle.workerd)} MB, wrangler ${mb(idle.wrangler)} MB`)
  if (!ok) process.exitCode = 1
} catch (error) {
  console.error(`\nnpm run load failed: ${(error as Error).message}`)
  process.exitCode = 1
} finally {
  await stack?.stop()
  rmSync(scratch, { recursive: true, force: true })
}
