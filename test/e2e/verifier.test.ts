// The verifier against real tokens from cognito-local: production-shaped `iss` (TokenConfig.IssuerDomain),
// no issuer override, the key set fetched over HTTP from the emulator.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalCognito, cognitoCall, startLocalCognito } from '../../scripts/local-cognito.ts'
import { type CognitoVerifierOptions, createCognitoVerifier, optionsFromEnv } from '../../src/index'

interface Tokens {
  IdToken: string
  AccessToken: string
}

let cognito: LocalCognito
let workDir: string

async function logIn(clientId: string): Promise<Tokens> {
  const { username, password } = cognito.demoUser
  const result = await cognitoCall(cognito.endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  })
  return result.AuthenticationResult as Tokens
}

/** A fetch that records every URL it is asked for, then really fetches it. */
function recordingFetch() {
  const urls: string[] = []
  const recorder: typeof fetch = (input, init) => {
    urls.push(input instanceof Request ? input.url : String(input))
    return fetch(input, init)
  }
  return { urls, fetch: recorder }
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'cognito-edge-e2e-'))
  cognito = await startLocalCognito({ port: 0, dataDir: join(workDir, '.cognito'), quiet: true })
})

afterAll(async () => {
  await cognito?.stop()
  rmSync(workDir, { recursive: true, force: true })
})

describe('tokens from cognito-local', () => {
  let tokens: Tokens
  beforeAll(async () => {
    tokens = await logIn(cognito.clients.public.id)
  })

  function verifierFor(options: Omit<CognitoVerifierOptions, 'fetch'>) {
    const origin = recordingFetch()
    return { verifier: createCognitoVerifier({ ...options, fetch: origin.fetch }), fetched: origin.urls }
  }

  it('verify with the production issuer and the key set fetched from the emulator', async () => {
    const { verifier, fetched } = verifierFor({
      userPoolId: cognito.poolId,
      clientId: cognito.clients.public.id,
      jwksUri: `${cognito.endpoint}/${cognito.poolId}/.well-known/jwks.json`,
    })
    const { sub, email } = cognito.demoUser

    const id = await verifier.verify(tokens.IdToken, { tokenUse: 'id' })
    expect(id).toMatchObject({ sub, email, token_use: 'id', aud: cognito.clients.public.id, 'cognito:username': sub })
    expect(id.iss).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${cognito.poolId}`)
    expect(id['cognito:groups']).toContain(cognito.adminGroup)

    const access = await verifier.verify(tokens.AccessToken, { tokenUse: 'access' })
    expect(access).toMatchObject({ sub, token_use: 'access', client_id: cognito.clients.public.id, username: sub })
    expect(access['cognito:groups']).toContain(cognito.adminGroup)

    // One fetch, over HTTP, from the emulator: both tokens name the same kid.
    expect(fetched).toEqual([cognito.jwksUri])
  })

  it('verify with the settings optionsFromEnv builds from COGNITO_ENDPOINT and COGNITO_ISSUER', async () => {
    const { pool } = optionsFromEnv({
      COGNITO_POOL_ID: cognito.poolId,
      APP_CLIENT_ID: cognito.clients.public.id,
      COGNITO_ENDPOINT: cognito.endpoint,
      COGNITO_ISSUER: cognito.issuer,
    })
    expect(pool.issuer).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${cognito.poolId}`)
    expect(pool.jwksUri).toBe(cognito.jwksUri)
    const { verifier, fetched } = verifierFor(pool)

    await expect(verifier.verify(tokens.IdToken)).resolves.toMatchObject({ sub: cognito.demoUser.sub, token_use: 'id' })
    await expect(verifier.verify(tokens.AccessToken)).resolves.toMatchObject({ sub: cognito.demoUser.sub, token_use: 'access' })
    expect(fetched).toEqual([cognito.jwksUri])
  })

  it('reject its tokens when the verifier is for another client', async () => {
    const { verifier } = verifierFor({
      userPoolId: cognito.poolId,
      clientId: cognito.clients.secret.id,
      jwksUri: cognito.jwksUri,
    })
    await expect(verifier.verify(tokens.IdToken)).rejects.toMatchObject({ code: 'ERR_COGNITO_AUDIENCE' })
    await expect(verifier.verify(tokens.AccessToken)).rejects.toMatchObject({ code: 'ERR_COGNITO_AUDIENCE' })
  })
})

describe('the short-lived client', () => {
  it('issue tokens that expire after its validity in seconds', async () => {
    const { id: clientId, validitySeconds } = cognito.clients.shortLived
    const tokens = await logIn(clientId)
    let now = Date.now()
    const verifier = createCognitoVerifier({ userPoolId: cognito.poolId, clientId, jwksUri: cognito.jwksUri, now: () => now })

    const claims = await verifier.verify(tokens.AccessToken)
    expect(claims.exp - claims.iat).toBe(validitySeconds)
    now = (claims.exp + 1) * 1000
    await expect(verifier.verify(tokens.AccessToken)).rejects.toMatchObject({ code: 'ERR_COGNITO_EXPIRED' })
    await expect(verifier.verify(tokens.IdToken)).rejects.toMatchObject({ code: 'ERR_COGNITO_EXPIRED' })
  })
})
