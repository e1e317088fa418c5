// The hosted UI's OAuth 2.0 endpoints, framework-free (src/cognito/oauth2.ts): the authorize and
// logout URLs, the PKCE challenge, and the code exchange at /oauth2/token against the fake Cognito
// — its request, HTTP Basic client authentication, and every way the endpoint can fail.
import { describe, expect, it } from 'vitest'
import { authorizeUrl, exchangeAuthorizationCode, logoutUrl, pkceChallenge } from '../../src/index'
import { signingKey } from '../helpers/auth'
import { rejectionOf } from '../helpers/errors'
import { type CognitoHandler, fakeCognito } from '../helpers/fake-cognito'
import { CLIENT_ID, accessClaims, idClaims, mint } from '../helpers/tokens'

const DOMAIN = 'https://example.auth.us-east-1.amazoncognito.com'
const REDIRECT_URI = 'https://app.example.com/auth/oauth2/callback'

const issued: CognitoHandler = async () => ({
  id_token: await mint(signingKey, idClaims()),
  access_token: await mint(signingKey, accessClaims()),
  refresh_token: 'refresh-token-1',
  expires_in: 3600,
  token_type: 'Bearer',
})

function exchange(handler: CognitoHandler, extra: { clientSecret?: string; timeoutMs?: number } = {}) {
  const cognito = fakeCognito({ '/oauth2/token': handler })
  const input = { domain: DOMAIN, clientId: CLIENT_ID, redirectUri: REDIRECT_URI, code: 'the-code', codeVerifier: 'v'.repeat(43) }
  return { cognito, result: exchangeAuthorizationCode({ ...input, fetch: cognito.fetch, ...extra }) }
}

describe('authorizeUrl, logoutUrl and pkceChallenge', () => {
  it('the S256 challenge of RFC 7636 Appendix B', async () => {
    expect(await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')
  })

  it('names every parameter of an authorization code request with PKCE and a nonce', () => {
    const url = new URL(
      authorizeUrl({
        domain: `${DOMAIN}/`,
        clientId: CLIENT_ID,
        redirectUri: REDIRECT_URI,
        scopes: ['openid', 'email'],
        state: 'the-state',
        nonce: 'the-nonce',
        codeChallenge: 'the-challenge',
        identityProvider: 'Google',
      }),
    )
    expect(url.origin + url.pathname).toBe(`${DOMAIN}/oauth2/authorize`)
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      scope: 'openid email',
      state: 'the-state',
      nonce: 'the-nonce',
      code_challenge: 'the-challenge',
      code_challenge_method: 'S256',
      identity_provider: 'Google',
    })
  })

  it("sends the browser to the domain's /logout with the client and the logout URI", () => {
    const url = new URL(logoutUrl({ domain: DOMAIN, clientId: CLIENT_ID, logoutUri: 'https://app.example.com/' }))
    expect(url.origin + url.pathname).toBe(`${DOMAIN}/logout`)
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: CLIENT_ID, logout_uri: 'https://app.example.com/' })
  })
})

describe('exchangeAuthorizationCode', () => {
  it('posts the authorization_code grant with the verifier, and returns the tokens', async () => {
    const { cognito, result } = exchange(issued)
    const tokens = await result
    expect(tokens).toMatchObject({ refreshToken: 'refresh-token-1', expiresIn: 3600, tokenType: 'Bearer' })
    expect(tokens.idToken.split('.')).toHaveLength(3)
    const [call] = cognito.calls
    expect(call).toMatchObject({ method: 'POST', url: `${DOMAIN}/oauth2/token`, operation: '/oauth2/token' })
    expect(call?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(call?.headers.authorization).toBeUndefined() // a public client
    expect(call?.body).toEqual({
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      code: 'the-code',
      redirect_uri: REDIRECT_URI,
      code_verifier: 'v'.repeat(43),
    })
  })

  it('authenticates a client with a secret by HTTP Basic (RFC 6749 §2.3.1)', async () => {
    const { cognito, result } = exchange(issued, { clientSecret: 's3cr3t' })
    await result
    expect(cognito.calls[0]?.headers.authorization).toBe(`Basic ${btoa(`${CLIENT_ID}:s3cr3t`)}`)
  })

  it('a refused code (400 invalid_grant) is ERR_COGNITO_OAUTH2_CODE_REJECTED; the description stays in cause', async () => {
    const refused = () =>
      Response.json({ error: 'invalid_grant', error_description: 'code expired for client x' }, { status: 400 })
    const error = await rejectionOf(exchange(refused).result)
    expect(error.code).toBe('ERR_COGNITO_OAUTH2_CODE_REJECTED')
    expect(error.message).toContain('invalid_grant')
    expect(error.message).not.toContain('client x')
  })

  it('a wrong client secret (401 invalid_client) is refused too, never retried', async () => {
    const { cognito, result } = exchange(() => Response.json({ error: 'invalid_client' }, { status: 401 }), { clientSecret: 'x' })
    expect((await rejectionOf(result)).code).toBe('ERR_COGNITO_OAUTH2_CODE_REJECTED')
    expect(cognito.calls).toHaveLength(1)
  })

  const down: [string, CognitoHandler, string][] = [
    ['a 500', () => Response.json({ error: 'server_error' }, { status: 500 }), 'ERR_COGNITO_UNAVAILABLE'],
    ['a 503 page', () => new Response('<html>Service Unavailable</html>', { status: 503 }), 'ERR_COGNITO_UNAVAILABLE'],
    ['a WAF page (403 HTML)', () => new Response('<html>Forbidden</html>', { status: 403 }), 'ERR_COGNITO_UNAVAILABLE'],
    ['throttling (429)', () => Response.json({ error: 'slow_down' }, { status: 429 }), 'ERR_COGNITO_THROTTLED'],
    ['a network failure', () => Promise.reject(new TypeError('fetch failed')), 'ERR_COGNITO_UNAVAILABLE'],
    ['200 with HTML', () => new Response('<html></html>', { status: 200 }), 'ERR_COGNITO_UNAVAILABLE'],
    ['200 without an ID token', () => ({ access_token: 'a', token_type: 'Bearer' }), 'ERR_COGNITO_UNAVAILABLE'],
    [
      'an endless body',
      () => new Response(new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(65536)) })),
      'ERR_COGNITO_UNAVAILABLE',
    ],
  ]
  for (const [what, handler, code] of down) {
    it(`${what} is ${code}`, async () => {
      expect((await rejectionOf(exchange(handler).result)).code).toBe(code)
    })
  }

  it('gives up after timeoutMs when the endpoint does not answer', async () => {
    const error = await rejectionOf(exchange(() => new Promise<Response>(() => {}), { timeoutMs: 50 }).result)
    expect(error.code).toBe('ERR_COGNITO_UNAVAILABLE')
    expect(error.message).toBe('the token endpoint timed out after 50 ms')
  })
})
