// The runtime matrix: the packed package, installed in a throwaway consumer by check-package.ts,
// run by every runtime the library supports (the system Node if ≥ 20, Node 22, Deno 2, Bun,
// workerd). Each runs the one program test/runtimes/program.ts against a key set this process
// serves on 127.0.0.1 and prints one line; a failure on any runtime fails with the runtime named.
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { build, transform } from 'esbuild'
import { Miniflare, convertV4MiniflareOptions } from 'miniflare'
import type { RuntimeFixture } from '../test/runtimes/fixture.ts'
import { bunBinary, denoBinary, findSystemNode, systemPath, versionOf, workerdVersion } from './runtime-binaries.ts'
import { accessClaims, createSigningKey, signToken, tamper } from './tokens.ts'

const root = resolve(import.meta.dirname, '..')
const PROGRAM = join(root, 'test/runtimes/program.ts')
const POOL_ID = 'us-east-1_AbC123'
const CLIENT_ID = '1example23456789abcdefghij'
const OTHER_CLIENT_ID = '2other456789abcdefghijklmn'
const SUB = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
const RESULT_MARK = 'RUNTIME-MATRIX-RESULT '
const RUN_TIMEOUT_MS = 60_000

interface CheckResult {
  readonly check: string
  readonly ok: boolean
  readonly detail: string
}

/** The key set and the fixture, served on 127.0.0.1; counts key-set requests. */
async function startIssuer(): Promise<{ server: Server; fixtureUrl: string; jwksHits: () => number }> {
  const key = await createSigningKey('runtime-matrix')
  let hits = 0
  let fixture = ''
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
    const body =
      path === '/fixture'
        ? fixture
        : path === `/${POOL_ID}/.well-known/jwks.json`
          ? JSON.stringify({ keys: [key.publicJwk] })
          : null
    if (path.endsWith('jwks.json')) hits++
    response.writeHead(body === null ? 404 : 200, { 'content-type': 'application/json' }).end(body ?? '{}')
  })
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const issuer = `${origin}/${POOL_ID}`
  const claims = (overrides: Record<string, unknown> = {}) => accessClaims({ issuer, clientId: CLIENT_ID, sub: SUB, overrides })
  const now = Math.floor(Date.now() / 1000)
  const valid = await signToken(key, claims())
  const value: RuntimeFixture = {
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    sub: SUB,
    tokens: {
      valid,
      tampered: tamper(valid, { sub: 'bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee' }),
      expired: await signToken(key, claims({ iat: now - 7200, auth_time: now - 7200, exp: now - 3600 })),
      otherClient: await signToken(key, claims({ client_id: OTHER_CLIENT_ID })),
    },
  }
  fixture = JSON.stringify(value)
  return { server, fixtureUrl: `${origin}/fixture`, jwksHits: () => hits }
}

/** Writes the program (type-stripped) and the launchers every runtime starts from into the consumer. */
async function writeLaunchers(consumer: string, fixtureUrl: string): Promise<string> {
  const program = await transform(readFileSync(PROGRAM, 'utf8'), { loader: 'ts', format: 'esm', target: 'es2022' })
  writeFileSync(join(consumer, 'program.mjs'), program.code)
  const results = `JSON.stringify(await runChecks(${JSON.stringify(fixtureUrl)}))`
  writeFileSync(
    join(consumer, 'run.mjs'),
    `import { runChecks } from './program.mjs'\nconsole.log(${JSON.stringify(RESULT_MARK)} + ${results})\n`,
  )
  writeFileSync(
    join(consumer, 'worker.mjs'),
    `import { runChecks } from './program.mjs'\nexport default { async fetch() { return new Response(${results}) } }\n`,
  )
  // Bundled the way wrangler bundles a module Worker, from the consumer's node_modules.
  const workerBundle = join(consumer, 'worker.bundle.mjs')
  await build({
    absWorkingDir: consumer,
    entryPoints: ['worker.mjs'],
    outfile: workerBundle,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    logLevel: 'warning',
  })
  return workerBundle
}

/** Runs a launcher in a child process; its last RESULT_MARK line holds the results. */
function runProcess(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CheckResult[]> {
  return new Promise((settle, fail) => {
    const child: ChildProcess = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS)
    child.on('error', (error) => {
      clearTimeout(timer)
      fail(error)
    })
    child.on('close', (status, signal) => {
      clearTimeout(timer)
      const line = stdout.split('\n').findLast((text) => text.startsWith(RESULT_MARK))
      if (status === 0 && line) return settle(JSON.parse(line.slice(RESULT_MARK.length)) as CheckResult[])
      const why = signal
        ? `killed by ${signal}${signal === 'SIGKILL' ? ` after ${RUN_TIMEOUT_MS / 1000} s` : ''}`
        : `exit ${status}`
      fail(new Error(`${why}\n${(stderr + stdout).trim().slice(-2000)}`))
    })
  })
}

async function runWorkerd(workerBundle: string): Promise<CheckResult[]> {
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      modulesRoot: dirname(workerBundle),
      scriptPath: workerBundle,
      compatibilityDate: '2026-11-01',
    }),
  )
  try {
    const response = await mf.dispatchFetch('http://matrix.local/')
    const body = await response.text()
    if (response.status !== 200) throw new Error(`worker answered ${response.status}: ${body.slice(0, 2000)}`)
    return JSON.parse(body) as CheckResult[]
  } finally {
    await mf.dispose()
  }
}

interface Runtime {
  readonly name: string
  /** Why the runtime is not run here, or null. */
  readonly skip: string | null
  run(): Promise<CheckResult[]>
}

/** A runtime whose binary cannot be found or started: it fails, under its own name. */
function located(name: string, find: () => Runtime): Runtime {
  try {
    return find()
  } catch (error) {
    return { name, skip: null, run: () => Promise.reject(error) }
  }
}

function runtimes(consumer: string, workerBundle: string): Runtime[] {
  const env = { ...process.env, PATH: systemPath(), NO_COLOR: '1' }
  const system = findSystemNode()
  return [
    system === null || system.major < 20
      ? {
          name: `node ${system?.version ?? '(none)'} (system)`,
          skip: system === null ? 'no system Node on PATH' : 'the system Node is older than 20',
          run: async () => [],
        }
      : { name: `node ${system.version} (system)`, skip: null, run: () => runProcess(system.path, ['run.mjs'], consumer, env) },
    {
      name: `node ${process.versions.node}`,
      skip: null,
      run: () => runProcess(process.execPath, ['run.mjs'], consumer, env),
    },
    located('deno', () => {
      const deno = denoBinary()
      const denoEnv = { ...env, DENO_DIR: join(consumer, '.deno'), DENO_NO_UPDATE_CHECK: '1' }
      return {
        name: versionOf(deno).replace(/ \(.*\)$/, ''),
        skip: null,
        run: () => runProcess(deno, ['run', '--allow-net=127.0.0.1', '--no-lock', 'run.mjs'], consumer, denoEnv),
      }
    }),
    located('bun', () => {
      const bun = bunBinary()
      return {
        name: `bun ${versionOf(bun)}`,
        skip: null,
        run: () => runProcess(bun, ['--no-install', 'run.mjs'], consumer, { ...env, DO_NOT_TRACK: '1' }),
      }
    }),
    located('workerd', () => ({
      name: `workerd ${workerdVersion()} (miniflare)`,
      skip: null,
      run: () => runWorkerd(workerBundle),
    })),
  ]
}

/** Runs the matrix in `consumer` (the tarball and hono installed there); throws naming each runtime that failed. */
export async function runRuntimeMatrix(consumer: string): Promise<void> {
  const { server, fixtureUrl, jwksHits } = await startIssuer()
  try {
    const workerBundle = await writeLaunchers(consumer, fixtureUrl)
    console.log(`runtime matrix (the packed tarball; key set served on ${new URL(fixtureUrl).host}):`)
    const failed: string[] = []
    for (const runtime of runtimes(consumer, workerBundle)) {
      const label = runtime.name.padEnd(34)
      if (runtime.skip) {
        console.log(`  ${label} skipped: ${runtime.skip}`)
        continue
      }
      const started = performance.now()
      const hitsBefore = jwksHits()
      let results: CheckResult[]
      try {
        results = await runtime.run()
      } catch (error) {
        results = [{ check: 'run', ok: false, detail: error instanceof Error ? error.message : String(error) }]
      }
      const fetched = jwksHits() - hitsBefore
      const ran = results.every((result) => result.check !== 'run')
      if (ran && results.length === 0) results.push({ check: 'program', ok: false, detail: 'ran no check' })
      if (ran && fetched === 0) results.push({ check: 'key set over HTTP', ok: false, detail: 'never fetched' })
      const bad = results.filter((result) => !result.ok)
      const ms = Math.round(performance.now() - started)
      if (bad.length === 0) {
        console.log(`  ${label} ok    ${results.length} checks, key set fetched ${fetched}×, ${ms} ms`)
      } else {
        failed.push(runtime.name)
        console.log(`  ${label} FAIL  ${bad.length} of ${results.length} checks`)
        for (const result of bad) console.log(`      ${result.check}: ${result.detail.replaceAll('\n', '\n      ')}`)
      }
    }
    if (failed.length > 0) throw new Error(`runtime matrix failed on: ${failed.join(', ')}`)
  } finally {
    server.close()
  }
}

if (import.meta.main) {
  const consumer = process.argv[2]
  if (!consumer) throw new Error('usage: node scripts/runtimes.ts <consumer directory with the tarball installed>')
  await runRuntimeMatrix(resolve(consumer))
}
