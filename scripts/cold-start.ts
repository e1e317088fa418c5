// Cold start for `npm run size`: import → first verified token, each run in a fresh Node process,
// for cognito-edge (from dist/, by its name), jose and aws-jwt-verify. Every library gets the key
// set the cheapest way it offers, no network: cognito-edge `jwks`, jose createLocalJWKSet,
// aws-jwt-verify cacheJwks. Runs are interleaved, the order rotating, so drift on a shared
// machine spreads over every library.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CLIENT_ID, ISSUER, POOL_ID } from './size-entries.ts'
import { accessClaims, createSigningKey, signToken } from './tokens.ts'

/** Each child reads the fixture first, then times only the import and the first verification. */
const timed = (verify: string) => `import { readFileSync } from 'node:fs'
const f = JSON.parse(readFileSync(new URL('./cold-fixture.json', import.meta.url), 'utf8'))
const started = performance.now()
${verify}
const elapsed = performance.now() - started
if (claims.sub !== f.sub) throw new Error('wrong sub')
process.stdout.write(String(elapsed))
`

const PROGRAMS: Record<string, string> = {
  'cognito-edge': timed(`const { createCognitoVerifier } = await import('cognito-edge')
const verifier = createCognitoVerifier({ userPoolId: f.userPoolId, clientId: f.clientId, jwks: f.jwks })
const claims = await verifier.verify(f.token)`),
  jose: timed(`const { createLocalJWKSet, jwtVerify } = await import('jose')
const { payload: claims } = await jwtVerify(f.token, createLocalJWKSet(f.jwks), { issuer: f.issuer, algorithms: ['RS256'] })`),
  'aws-jwt-verify': timed(`const { CognitoJwtVerifier } = await import('aws-jwt-verify')
const verifier = CognitoJwtVerifier.create({ userPoolId: f.userPoolId, tokenUse: 'access', clientId: f.clientId })
verifier.cacheJwks(f.jwks)
const claims = await verifier.verify(f.token)`),
}

export interface ColdStart {
  readonly library: string
  /** Milliseconds, one per run. */
  readonly samples: readonly number[]
}

/** Writes the programs into `directory` (inside the package, so `cognito-edge` resolves to dist/) and runs them. */
export async function measureColdStart(directory: string, runs: number): Promise<ColdStart[]> {
  const key = await createSigningKey('cold-start')
  const sub = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
  const token = await signToken(key, accessClaims({ issuer: ISSUER, clientId: CLIENT_ID, sub }))
  const fixture = { token, jwks: { keys: [key.publicJwk] }, userPoolId: POOL_ID, clientId: CLIENT_ID, issuer: ISSUER, sub }
  writeFileSync(join(directory, 'cold-fixture.json'), JSON.stringify(fixture))
  const libraries = Object.keys(PROGRAMS)
  for (const library of libraries) writeFileSync(join(directory, `cold-${library}.mjs`), PROGRAMS[library] as string)
  const env = { ...process.env }
  delete env.NODE_COMPILE_CACHE // no library may start from another run's compiled code
  delete env.NODE_OPTIONS
  const run = (library: string) =>
    Number(execFileSync(process.execPath, [join(directory, `cold-${library}.mjs`)], { cwd: directory, env, encoding: 'utf8' }))
  for (const library of libraries) run(library) // warms the file cache; not counted
  const samples = new Map(libraries.map((library) => [library, [] as number[]]))
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < libraries.length; i++) {
      const library = libraries[(i + round) % libraries.length] as string
      samples.get(library)?.push(run(library))
    }
  }
  return libraries.map((library) => ({ library, samples: samples.get(library) ?? [] }))
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}
