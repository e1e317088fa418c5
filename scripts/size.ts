// `npm run size`: what cognito-edge costs beside its peers. Bundle sizes: each entry of
// size-entries.ts bundled from the built package (dist/, by its public names through
// package.json "exports", as a consumer's bundler resolves it) with esbuild --minify, ESM,
// platform neutral with wrangler's conditions (workerd, worker, browser), then gzip -9. Cold
// start: cold-start.ts. Prints PASS/FAIL per budget; with `--check`, a FAIL exits non-zero.
// Not part of `npm test`.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { measureColdStart, median } from './cold-start.ts'
import { HONO_COGNITO_AUTH, PLAIN_HONO, SIZE_ENTRIES, type SizeEntry, VERIFIER_ALONE } from './size-entries.ts'

const root = resolve(import.meta.dirname, '..')
// Inside the package, so `cognito-edge` resolves to dist/ through the package's own "exports".
const out = join(root, 'bench/out/size')
const KB = 1024
const COLD_RUNS = 20
const check = process.argv.includes('--check')

interface Measured {
  readonly entry: SizeEntry
  readonly minified: number
  readonly gzipped: number
  /** Minified bytes from aws4fetch (a module-level leftover stays even when the signer is shaken out). */
  readonly aws4fetchBytes: number
  /** Whether aws4fetch's SigV4 signer itself is in the bundle (its algorithm name survives minifying). */
  readonly sigv4: boolean
  /** Whether managed login's token exchange is in the bundle (its endpoint path survives minifying). */
  readonly managedLogin: boolean
}

async function measure(entry: SizeEntry, index: number): Promise<Measured> {
  const file = join(out, `entry-${index}.mjs`)
  writeFileSync(file, entry.source)
  const result = await build({
    entryPoints: [file],
    outfile: join(out, `bundle-${index}.mjs`),
    write: false,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    // No tsconfig: the repository's "paths" would point `cognito-edge` at src/ instead of dist/.
    tsconfigRaw: '{}',
    metafile: true,
    logLevel: 'error',
  })
  const output = result.outputFiles[0]
  if (!output) throw new Error(`${entry.name}: esbuild wrote nothing`)
  const inputs = Object.entries(Object.values(result.metafile.outputs)[0]?.inputs ?? {})
  if (entry.source.includes("'cognito-edge") && !inputs.some(([path]) => path.startsWith('dist/')))
    throw new Error(`${entry.name}: cognito-edge did not resolve to dist/`)
  return {
    entry,
    minified: output.contents.byteLength,
    gzipped: gzipSync(output.contents, { level: 9 }).byteLength,
    aws4fetchBytes: inputs
      .filter(([path]) => path.includes('node_modules/aws4fetch/'))
      .reduce((sum, [, input]) => sum + input.bytesInOutput, 0),
    sigv4: output.text.includes('AWS4-HMAC-SHA256'),
    managedLogin: output.text.includes('/oauth2/token'),
  }
}

const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`
const signedKb = (bytes: number) => `${bytes >= 0 ? '+' : '−'}${kb(Math.abs(bytes))}`
const ms = (value: number) => `${value.toFixed(1)} ms`
const budgets: { name: string; pass: boolean; detail: string }[] = []
const budget = (name: string, pass: boolean, detail: string) => budgets.push({ name, pass, detail })

if (!existsSync(join(root, 'dist/index.js'))) throw new Error('no dist/: run `npm run build` first (npm run size does)')
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

const measured = await Promise.all(SIZE_ENTRIES.map(measure))
const byName = (name: string) => measured.find((m) => m.entry.name === name) as Measured
const hono = byName(PLAIN_HONO)
console.log('Bundles: esbuild --minify, ESM, platform neutral, conditions workerd/worker/browser; gzip -9 (KB = 1024 bytes)\n')
const head = ['min bytes'.padStart(11), 'gz bytes'.padStart(10), 'gz'.padStart(9), 'Δ gz over Hono'.padStart(16)]
console.log(`${'bundle'.padEnd(34)}${head.join('')}  aws4fetch (min)`)
for (const m of measured) {
  const delta = m.entry.hono && m !== hono ? signedKb(m.gzipped - hono.gzipped) : '—'
  const aws4fetch = m.sigv4 ? `signer, ${m.aws4fetchBytes} B` : m.aws4fetchBytes > 0 ? `leftover ${m.aws4fetchBytes} B` : 'no'
  const cells = [String(m.minified).padStart(11), String(m.gzipped).padStart(10), kb(m.gzipped).padStart(9), delta.padStart(16)]
  console.log(`${m.entry.name.padEnd(34)}${cells.join('')}  ${aws4fetch}`)
}
const authDelta = byName(HONO_COGNITO_AUTH).gzipped - hono.gzipped
budget('Hono + cognitoAuth ≤ +10.0 KB gz over plain Hono', authDelta <= 10 * KB, signedKb(authDelta))
const verifier = byName(VERIFIER_ALONE).gzipped
const stretch = verifier <= 5.6 * KB ? 'met' : 'not met'
budget('cognito-edge verifier alone ≤ 7.0 KB gz', verifier <= 7 * KB, `${kb(verifier)} (stretch 5.6 KB: ${stretch})`)
const misplaced = measured.filter((m) => m.sigv4 !== m.entry.admin)
budget(
  'SigV4 signer (aws4fetch) only in bundles that make Admin calls',
  misplaced.length === 0,
  misplaced.length === 0
    ? 'only in the Admin call'
    : misplaced.map((m) => `${m.sigv4 ? 'in' : 'missing from'} ${m.entry.name}`).join(', '),
)
// No bundle here serves the /auth routes, so none may carry managed login (a call at module scope would drag it in).
const hostedUi = measured.filter((m) => m.managedLogin)
budget(
  'managed login (token exchange, cookie crypto) only in bundles that serve the /auth routes',
  hostedUi.length === 0,
  hostedUi.length === 0 ? 'in none of these' : `in ${hostedUi.map((m) => m.entry.name).join(', ')}`,
)

const cold = await measureColdStart(out, COLD_RUNS)
console.log(
  `\nCold start: import → first verified token, a fresh Node ${process.versions.node} process per run, ${COLD_RUNS} runs\n`,
)
console.log(`${'library'.padEnd(18)}${'median'.padStart(10)}${'min'.padStart(10)}${'max'.padStart(10)}`)
for (const { library, samples } of cold) {
  const cells = [median(samples), Math.min(...samples), Math.max(...samples)].map((value) => ms(value).padStart(10))
  console.log(`${library.padEnd(18)}${cells.join('')}`)
}
const medianOf = (library: string) => median(cold.find((result) => result.library === library)?.samples ?? [])
const [ours, jose] = [medianOf('cognito-edge'), medianOf('jose')]
budget('cold start: cognito-edge ≤ jose (medians)', ours <= jose, `${ms(ours)} vs ${ms(jose)}`)

console.log('\nBudgets')
for (const result of budgets) console.log(`${result.pass ? 'PASS' : 'FAIL'}  ${result.name}: ${result.detail}`)
const failed = budgets.filter((result) => !result.pass).length
if (check && failed > 0) {
  console.error(`\n${failed} budget(s) failed`)
  process.exitCode = 1
}
