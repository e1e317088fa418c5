// The one program every runtime of the matrix runs (scripts/runtimes.ts: Node, Deno, Bun, workerd),
// against the packed tarball by its public names: verify a token whose key set is fetched over
// HTTP, refuse a tampered, an expired and another client's token with their codes, and guard a
// Hono route with cognitoAuth. Web APIs only; each runtime's launcher just calls runChecks.
import { CognitoAuthError, createCognitoVerifier, type CognitoErrorCode, type CognitoVerifier } from 'cognito-edge'
import { cognitoAuth, type CognitoAuthVariables } from 'cognito-edge/hono'
import { Hono } from 'hono'
import type { RuntimeFixture } from './fixture.js'

export interface CheckResult {
  readonly check: string
  readonly ok: boolean
  readonly detail: string
}

/** The verifier under test: the one place its options are spelled. */
function verifierFor(fixture: RuntimeFixture): CognitoVerifier {
  const { userPoolId, clientId, issuer, jwksUri } = fixture
  return createCognitoVerifier({ userPoolId, clientId, issuer, jwksUri })
}

/** A Hono app guarded by cognitoAuth: the one place the middleware's options are spelled. */
function appFor(fixture: RuntimeFixture): Hono<{ Variables: CognitoAuthVariables }> {
  const { userPoolId, clientId, issuer, jwksUri } = fixture
  const app = new Hono<{ Variables: CognitoAuthVariables }>()
  app.use('/me', cognitoAuth({ pool: { userPoolId, clientId, issuer, jwksUri } }))
  app.get('/me', (c) => c.json({ sub: c.var.cognito.claims.sub }))
  return app
}

async function refused(verifier: CognitoVerifier, token: string, code: CognitoErrorCode): Promise<string> {
  try {
    await verifier.verify(token)
  } catch (error) {
    if (!(error instanceof CognitoAuthError))
      throw new Error(`threw something other than a CognitoAuthError: ${String(error)}`, { cause: error })
    if (error.code !== code) throw new Error(`refused with ${error.code}, expected ${code}`, { cause: error })
    return code
  }
  throw new Error(`accepted, expected ${code}`)
}

/** Runs every check; a failure is reported in its result, never thrown. */
export async function runChecks(fixtureUrl: string): Promise<CheckResult[]> {
  const fixture = (await (await fetch(fixtureUrl)).json()) as RuntimeFixture
  const { tokens } = fixture
  const verifier = verifierFor(fixture)
  const app = appFor(fixture)
  const results: CheckResult[] = []
  const check = async (name: string, body: () => Promise<string>) => {
    try {
      results.push({ check: name, ok: true, detail: await body() })
    } catch (error) {
      results.push({ check: name, ok: false, detail: error instanceof Error ? error.message : String(error) })
    }
  }

  await check('verifies a token (key set over HTTP)', async () => {
    const claims = await verifier.verify(tokens.valid, { tokenUse: 'access' })
    if (claims.sub !== fixture.sub) throw new Error(`sub is ${claims.sub}, expected ${fixture.sub}`)
    return `sub ${claims.sub}`
  })
  await check('refuses a tampered token', () => refused(verifier, tokens.tampered, 'ERR_COGNITO_SIGNATURE'))
  await check('refuses an expired token', () => refused(verifier, tokens.expired, 'ERR_COGNITO_EXPIRED'))
  await check("refuses another client's token", () => refused(verifier, tokens.otherClient, 'ERR_COGNITO_AUDIENCE'))
  await check('cognitoAuth: 200 with a token', async () => {
    const response = await app.request('/me', { headers: { authorization: `Bearer ${tokens.valid}` } })
    const body = await response.text()
    if (response.status !== 200) throw new Error(`status ${response.status}: ${body}`)
    if ((JSON.parse(body) as { sub?: unknown }).sub !== fixture.sub) throw new Error(`handler saw ${body}`)
    return '200'
  })
  await check('cognitoAuth: 401 without', async () => {
    const response = await app.request('/me')
    const body = await response.text()
    if (response.status !== 401) throw new Error(`status ${response.status}: ${body}`)
    if (!response.headers.get('www-authenticate')?.startsWith('Bearer')) throw new Error('no Bearer challenge')
    return '401'
  })
  return results
}
