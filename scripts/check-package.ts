// Proves the published package works: build, publint, `npm pack`, install the tarball into a
// throwaway consumer project, then import and type-check every export from it; and that the
// demo Worker bundles with `wrangler deploy --dry-run`.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const run = (command: string, args: string[], cwd = root) =>
  execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' })

run('npm', ['run', 'build', '--silent'])
const lint = run(join(root, 'node_modules/.bin/publint'), ['run', '--strict'])
if (!/All good!/.test(lint)) {
  process.stderr.write(lint)
  throw new Error('publint reported problems')
}

const consumer = mkdtempSync(join(tmpdir(), 'cognito-edge-consumer-'))
try {
  run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', consumer])
  const tarball = readdirSync(consumer).find((file) => file.endsWith('.tgz'))
  if (!tarball) throw new Error('npm pack produced no tarball')
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`, 'hono'], consumer)

  writeFileSync(
    join(consumer, 'smoke.mjs'),
    `import * as core from 'cognito-edge'
import * as hono from 'cognito-edge/hono'
import * as d1 from 'cognito-edge/d1'
const expect = (ok, what) => { if (!ok) { console.error('missing: ' + what); process.exit(1) } }
expect(typeof core.createCognitoVerifier === 'function', 'cognito-edge: createCognitoVerifier')
expect(typeof core.CognitoAuthError === 'function', 'cognito-edge: CognitoAuthError')
expect(typeof hono.cognitoAuth === 'function', 'cognito-edge/hono: cognitoAuth')
expect(typeof hono.cognitoRoutes === 'function', 'cognito-edge/hono: cognitoRoutes')
expect(typeof d1.cognitoUsers === 'object', 'cognito-edge/d1: cognitoUsers')
expect(typeof d1.d1UserStore === 'function', 'cognito-edge/d1: d1UserStore')
console.log('consumer imports: cognito-edge (' + Object.keys(core).length + '), cognito-edge/hono (' + Object.keys(hono).length + '), cognito-edge/d1 (' + Object.keys(d1).length + ') exports')
`,
  )
  process.stdout.write(run(process.execPath, ['smoke.mjs'], consumer))

  writeFileSync(
    join(consumer, 'types.ts'),
    `import { createCognitoVerifier, type CognitoClaims } from 'cognito-edge'
import { cognitoAuth, type CognitoAuthVariables } from 'cognito-edge/hono'
import { cognitoUsers, d1UserStore } from 'cognito-edge/d1'
const verifier = createCognitoVerifier({ userPoolId: 'us-east-1_AbC123', clientId: null })
export const claims: Promise<CognitoClaims> = verifier.verify('token')
export const middleware = cognitoAuth
export type Vars = CognitoAuthVariables
export const table = cognitoUsers
export const store = d1UserStore
`,
  )
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        noEmit: true,
        skipLibCheck: true,
        lib: ['ES2022', 'DOM'],
        types: [],
      },
      files: ['types.ts'],
    }),
  )
  run(join(root, 'node_modules/.bin/tsc'), ['-p', consumer])
  console.log('consumer type-check: ok')

  // The demo Worker bundles for deployment (no account needed for a dry run).
  run(join(root, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', join(consumer, 'worker')])
  console.log('wrangler deploy --dry-run: ok')
} finally {
  rmSync(consumer, { recursive: true, force: true })
}
