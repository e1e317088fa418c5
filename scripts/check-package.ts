// Proves the published package works: build, publint, `npm pack`, attw on the tarball; then
// installs that tarball into throwaway consumer projects: a full one (hono, drizzle-orm) that
// imports every export, type-checks them standing alone and runs the runtime matrix (Node, Deno,
// Bun, workerd); and a verifier-only one, installed by the system Node 20's npm with
// --engine-strict, that works without drizzle-orm or hono. Last, the demo Worker bundles with
// `wrangler deploy --dry-run`.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { checkConsumerTypes } from './consumer-types.ts'
import { findSystemNode, systemPath } from './runtime-binaries.ts'
import { runRuntimeMatrix } from './runtimes.ts'

const root = resolve(import.meta.dirname, '..')
const bin = (name: string) => join(root, 'node_modules/.bin', name)
/** The environment of a consumer's shell: none of the npm_* variables of the `npm test` around us. */
const consumerEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)))
const run = (command: string, args: string[], cwd = root, env: NodeJS.ProcessEnv = process.env) =>
  execFileSync(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' })
/** Runs a command whose output matters only when it fails. */
const quietly = (what: string, command: string, args: string[], cwd = root, env: NodeJS.ProcessEnv = process.env) => {
  try {
    execFileSync(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' })
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string }
    process.stderr.write(`${stdout}${stderr}`)
    throw new Error(`${what} failed`, { cause: error })
  }
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
/** A package at the range this repository tests with (so the npm cache already has it). */
const tested = (name: string) => `${name}@${manifest.devDependencies[name] ?? 'latest'}`

function consumerProject(directory: string): string {
  mkdirSync(directory)
  writeFileSync(join(directory, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  return directory
}

run('npm', ['run', 'build', '--silent'])
const lint = run(bin('publint'), ['run', '--strict'])
if (!/All good!/.test(lint)) {
  process.stderr.write(lint)
  throw new Error('publint reported problems')
}

const work = mkdtempSync(join(tmpdir(), 'cognito-edge-package-'))
try {
  run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', work])
  const tarball = readdirSync(work).find((file) => file.endsWith('.tgz'))
  if (!tarball) throw new Error('npm pack produced no tarball')
  const tarballPath = join(work, tarball)
  // attw on the very tarball the consumers install (what `attw --pack` would pack and check).
  quietly('attw --profile esm-only', bin('attw'), [tarballPath, '--profile', 'esm-only'])
  console.log('attw --profile esm-only: ok')

  const full = consumerProject(join(work, 'full'))
  const install = ['install', '--no-audit', '--no-fund', '--prefer-offline']
  const peers = ['hono', 'drizzle-orm', '@cloudflare/workers-types', '@types/node'].map(tested)
  quietly('consumer install', 'npm', [...install, tarballPath, ...peers], full, consumerEnv)

  writeFileSync(
    join(full, 'smoke.mjs'),
    `import * as core from 'cognito-edge'
import * as hono from 'cognito-edge/hono'
import * as d1 from 'cognito-edge/d1'
import * as durable from 'cognito-edge/durable'
const expect = (ok, what) => { if (!ok) { console.error('missing: ' + what); process.exit(1) } }
expect(typeof core.createCognitoVerifier === 'function', 'cognito-edge: createCognitoVerifier')
expect(typeof core.CognitoAuthError === 'function', 'cognito-edge: CognitoAuthError')
expect(typeof hono.cognitoAuth === 'function', 'cognito-edge/hono: cognitoAuth')
expect(typeof hono.cognitoRoutes === 'function', 'cognito-edge/hono: cognitoRoutes')
expect(typeof d1.cognitoUsers === 'object', 'cognito-edge/d1: cognitoUsers')
expect(typeof d1.d1UserStore === 'function', 'cognito-edge/d1: d1UserStore')
expect(typeof d1.d1Revocations === 'function', 'cognito-edge/d1: d1Revocations')
expect(typeof durable.CognitoRenewals === 'function', 'cognito-edge/durable: CognitoRenewals')
expect(typeof durable.durableRenewals === 'function', 'cognito-edge/durable: durableRenewals')
expect(typeof core.signOutEverywhere === 'function', 'cognito-edge: signOutEverywhere')
console.log('consumer imports: cognito-edge (' + Object.keys(core).length + '), cognito-edge/hono (' + Object.keys(hono).length + '), cognito-edge/d1 (' + Object.keys(d1).length + '), cognito-edge/durable (' + Object.keys(durable).length + ') exports')
`,
  )
  process.stdout.write(run(process.execPath, ['smoke.mjs'], full))
  await checkConsumerTypes(full)
  const matrixStarted = performance.now()
  await runRuntimeMatrix(full)
  console.log(`runtime matrix: ${((performance.now() - matrixStarted) / 1000).toFixed(1)} s`)

  // Verifier only: no hono, no drizzle-orm (an optional peer now), installed as a Node 20 user would.
  const lean = consumerProject(join(work, 'lean'))
  const system = findSystemNode()
  const node20 = system?.major === 20 && system.npmCli ? system : null
  if (node20?.npmCli) {
    const env = { ...consumerEnv, PATH: systemPath() }
    quietly(
      'Node 20 install --engine-strict',
      node20.path,
      [node20.npmCli, ...install, '--engine-strict', tarballPath],
      lean,
      env,
    )
  } else {
    quietly('verifier-only install', 'npm', [...install, tarballPath], lean, consumerEnv)
  }
  for (const unwanted of ['drizzle-orm', 'hono']) {
    if (existsSync(join(lean, 'node_modules', unwanted))) throw new Error(`a verifier-only install brought ${unwanted}`)
  }
  const leanNode = node20?.path ?? process.execPath
  const probe = `import { createCognitoVerifier } from 'cognito-edge'
const verifier = createCognitoVerifier({ userPoolId: 'us-east-1_AbC123', clientId: null })
if (typeof verifier.verify !== 'function') throw new Error('no verify')`
  run(leanNode, ['--input-type=module', '-e', probe], lean)
  const installedBy = node20 ? `Node ${node20.version}'s npm with --engine-strict` : 'the toolchain npm'
  console.log(`verifier-only consumer (installed by ${installedBy}): imports cognito-edge; no drizzle-orm, no hono`)
  if (!node20) {
    console.log(
      `engines: NOT CHECKED — no system Node 20 here (${system ? `system Node ${system.version}` : 'no system Node'}), so the ` +
        `Node 20 install with --engine-strict was skipped`,
    )
  }

  // The demo Worker bundles for deployment (no account needed for a dry run).
  run(bin('wrangler'), ['deploy', '--dry-run', '--outdir', join(work, 'worker')])
  console.log('wrangler deploy --dry-run: ok')
} finally {
  rmSync(work, { recursive: true, force: true })
}
