// Test rig for the /auth endpoints: a real Hono app mounting cognitoRoutes over the fake Cognito,
// with the test pool and app client, and tokens as Cognito would issue them.
import { Hono } from 'hono'
import { cognitoRoutes } from '../../../src/hono'
import { type EdgeOverrides, authOptions, signingKey } from '../../helpers/auth'
import { type CognitoHandler, fakeCognito } from '../../helpers/fake-cognito'
import { accessClaims, idClaims, mint } from '../../helpers/tokens'

export const tokens = async () => ({
  AccessToken: await mint(signingKey, accessClaims()),
  IdToken: await mint(signingKey, idClaims()),
  RefreshToken: 'refresh-token-1',
  ExpiresIn: 3600,
  TokenType: 'Bearer',
})

/** Cognito's answer to a successful sign-in step, metadata included. */
export const signedIn: CognitoHandler = async () => ({
  AuthenticationResult: await tokens(),
  ChallengeParameters: {},
  ResponseMetadata: { RequestId: 'x' },
})

export function setup(handlers: Record<string, CognitoHandler>, overrides: EdgeOverrides = {}) {
  const cognito = fakeCognito(handlers)
  const app = new Hono().route('/auth', cognitoRoutes(authOptions({ fetch: cognito.fetch, ...overrides })))
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(`/auth/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  return { app, cognito, post }
}

export const json = (res: Response) => res.json() as Promise<Record<string, unknown>>
