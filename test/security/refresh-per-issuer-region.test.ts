// Item 6 of the session-layer review: with pools in two regions, a session of the second pool
// must be renewed in the second pool's region (endpoint and SigV4 scope), not the first's.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { awsSigner } from '../../src/index'
import { type CognitoAuthVariables, cognitoAuth } from '../../src/hono'
import { type EdgeOverrides, authOptions, signingKey } from '../helpers/auth'
import { CREDENTIALS, type CognitoHandler, fakeCognito } from '../helpers/fake-cognito'
import { ISSUER, NOW_SECONDS, OTHER_ISSUER, OTHER_POOL_ID, POOL_ID, accessClaims, idClaims, mint } from '../helpers/tokens'

const expiredTimes = { iat: NOW_SECONDS - 3700, auth_time: NOW_SECONDS - 3700, exp: NOW_SECONDS - 100 }

function renewingFor(iss: string): CognitoHandler {
  return async () => ({
    AuthenticationResult: {
      IdToken: await mint(signingKey, idClaims({ iss, jti: crypto.randomUUID() })),
      AccessToken: await mint(signingKey, accessClaims({ iss, jti: crypto.randomUUID() })),
      ExpiresIn: 3600,
    },
  })
}

function twoRegionApp(iss: string, extra: EdgeOverrides = {}) {
  const cognito = fakeCognito({ InitiateAuth: renewingFor(iss), AdminInitiateAuth: renewingFor(iss) })
  const app = new Hono<{ Variables: CognitoAuthVariables }>()
  app.use('*', cognitoAuth(authOptions({ pool: { userPoolId: [POOL_ID, OTHER_POOL_ID] }, fetch: cognito.fetch, ...extra })))
  app.get('/', (c) => c.json({ iss: c.var.cognito.claims.iss, refreshed: c.var.cognito.refreshed }))
  return { app, cognito }
}

async function expiredSessionOf(iss: string) {
  return {
    IDTOKEN: await mint(signingKey, idClaims({ ...expiredTimes, iss })),
    ACCESSTOKEN: await mint(signingKey, accessClaims({ ...expiredTimes, iss })),
    REFRESHTOKEN: 'refresh-token',
  }
}

describe('renewal goes to the region of the token issuer', () => {
  it('a session of the eu-west-1 pool is renewed at cognito-idp.eu-west-1', async () => {
    const { app, cognito } = twoRegionApp(OTHER_ISSUER)
    const res = await app.request('/', { headers: await expiredSessionOf(OTHER_ISSUER) })
    expect(await res.json()).toEqual({ iss: OTHER_ISSUER, refreshed: true })
    expect(cognito.calls.map((call) => call.url)).toEqual(['https://cognito-idp.eu-west-1.amazonaws.com/'])
  })

  it('a session of the us-east-1 pool is still renewed at cognito-idp.us-east-1', async () => {
    const { app, cognito } = twoRegionApp(ISSUER)
    expect((await app.request('/', { headers: await expiredSessionOf(ISSUER) })).status).toBe(200)
    expect(cognito.calls.map((call) => call.url)).toEqual(['https://cognito-idp.us-east-1.amazonaws.com/'])
  })

  it('admin renewal signs for the issuer region and names the issuer pool', async () => {
    const { app, cognito } = twoRegionApp(OTHER_ISSUER, {
      refresh: { admin: true },
      cognito: { signer: awsSigner(CREDENTIALS) },
    })
    expect((await app.request('/', { headers: await expiredSessionOf(OTHER_ISSUER) })).status).toBe(200)
    const call = cognito.calls[0]
    expect(call?.url).toBe('https://cognito-idp.eu-west-1.amazonaws.com/')
    expect(call?.headers.authorization).toMatch(/Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/cognito-idp\/aws4_request/)
    expect(call?.body.UserPoolId).toBe(OTHER_POOL_ID)
  })
})
