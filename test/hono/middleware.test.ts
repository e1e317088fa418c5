// cognitoAuth through a real Hono app: where tokens come from, what is required, what the errors look like.
import { Hono } from 'hono'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { RequiredTokens } from '../../src/index'
import {
  type CognitoAuthContext,
  type CognitoAuthOptionalVariables,
  type CognitoAuthVariables,
  cognitoAuth,
  requireGroups,
} from '../../src/hono'
import { type EdgeOverrides, accessToken, authOptions, idToken, signingKey } from '../helpers/auth'
import { jwksOf, rsaKey } from '../helpers/keys'
import { fakeOrigin } from '../helpers/origin'
import { CLIENT_ID, NOW_SECONDS, OTHER_CLIENT_ID, OTHER_ISSUER, POOL_ID, SUB, idClaims, mint } from '../helpers/tokens'

function app(overrides: EdgeOverrides = {}) {
  const handled: CognitoAuthContext[] = []
  const hono = new Hono<{ Variables: CognitoAuthVariables }>()
  hono.use('/api/*', cognitoAuth(authOptions(overrides)))
  hono.all('/api/me', (c) => {
    handled.push(c.var.cognito)
    return c.json({ sub: c.var.cognito.claims.sub, use: c.var.cognito.claims.token_use })
  })
  return { hono, handled }
}

async function body(res: Response) {
  return (await res.json()) as { error?: string; code?: string; sub?: string; use?: string }
}

describe('transport: where tokens come from', () => {
  for (const name of ['IDTOKEN', 'idtoken', 'IdToken']) {
    it(`the seed's ${name} header`, async () => {
      const { hono, handled } = app()
      const res = await hono.request('/api/me', { headers: { [name]: await idToken() } })
      expect(res.status).toBe(200)
      expect(await body(res)).toEqual({ sub: SUB, use: 'id' })
      expect(handled).toHaveLength(1)
    })
  }

  for (const name of ['ACCESSTOKEN', 'accesstoken', 'AccessToken']) {
    it(`the seed's ${name} header`, async () => {
      const res = await app().hono.request('/api/me', { headers: { [name]: await accessToken() } })
      expect(res.status).toBe(200)
      expect(await body(res)).toEqual({ sub: SUB, use: 'access' })
    })
  }

  it('both seed headers together, with claims from the ID token and both claim sets exposed', async () => {
    const { hono, handled } = app({ auth: { require: 'both' } })
    const res = await hono.request('/api/me', { headers: { IDTOKEN: await idToken(), ACCESSTOKEN: await accessToken() } })
    expect(res.status).toBe(200)
    expect(handled[0]?.claims.token_use).toBe('id')
    expect(handled[0]?.idClaims?.email).toBe('alice@example.com')
    expect(handled[0]?.accessClaims?.scope).toContain('openid')
    expect(handled[0]?.user).toBeNull()
    expect(handled[0]?.refreshed).toBe(false)
  })

  for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
    it(`Authorization: ${scheme} <access token>`, async () => {
      const res = await app().hono.request('/api/me', { headers: { authorization: `${scheme} ${await accessToken()}` } })
      expect(res.status).toBe(200)
      expect((await body(res)).use).toBe('access')
    })
  }

  it('an ID token in the Authorization header is refused: bearer carries access tokens', async () => {
    const res = await app().hono.request('/api/me', { headers: { authorization: `Bearer ${await idToken()}` } })
    expect(res.status).toBe(401)
    expect((await body(res)).code).toBe('ERR_COGNITO_TOKEN_USE')
  })

  for (const value of ['Bearer', 'Bearer a b', 'Bearer  ', 'Bearer a,b']) {
    it(`a malformed bearer header "${value}" → 400 invalid_request`, async () => {
      const { hono, handled } = app()
      const res = await hono.request('/api/me', { headers: { authorization: value } })
      expect(res.status).toBe(400)
      expect(res.headers.get('www-authenticate')).toMatch(
        /^Bearer realm="cognito-edge", error="invalid_request", error_description=/,
      )
      expect((await body(res)).code).toBe('ERR_COGNITO_BAD_REQUEST')
      expect(handled).toHaveLength(0)
    })
  }

  it('another Authorization scheme is not ours: the request is simply unauthenticated', async () => {
    const res = await app().hono.request('/api/me', { headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' } })
    expect(res.status).toBe(401)
    expect((await body(res)).code).toBe('ERR_COGNITO_TOKEN_MISSING')
  })

  it('different tokens in Authorization and ACCESSTOKEN → 400', async () => {
    const res = await app().hono.request('/api/me', {
      headers: { authorization: `Bearer ${await accessToken()}`, ACCESSTOKEN: await accessToken({ jti: 'other' }) },
    })
    expect(res.status).toBe(400)
    expect((await body(res)).code).toBe('ERR_COGNITO_BAD_REQUEST')
  })

  it('a header token over 16 KiB is refused before any crypto', async () => {
    const res = await app().hono.request('/api/me', { headers: { ACCESSTOKEN: 'a'.repeat(17_000) } })
    expect(res.status).toBe(401)
    expect((await body(res)).code).toBe('ERR_COGNITO_TOKEN_MALFORMED')
  })

  it('session cookies in cookie mode', async () => {
    const res = await app({ cookies: {} }).hono.request('/api/me', {
      headers: { cookie: `theme=dark; __Host-cognito-access=${await accessToken()}; __Host-cognito-id=${await idToken()}` },
    })
    expect(res.status).toBe(200)
    expect((await body(res)).use).toBe('id')
  })

  it('cookie names follow the Secure setting: no __Host- prefix without Secure', async () => {
    const res = await app({ cookies: { secure: false } }).hono.request('/api/me', {
      headers: { cookie: `cognito-access=${await accessToken()}` },
    })
    expect(res.status).toBe(200)
  })

  it('cookies are ignored unless cookie mode is on', async () => {
    const res = await app().hono.request('/api/me', { headers: { cookie: `__Host-cognito-access=${await accessToken()}` } })
    expect(res.status).toBe(401)
    expect((await body(res)).code).toBe('ERR_COGNITO_TOKEN_MISSING')
  })

  it('headers win over cookies', async () => {
    const res = await app({ cookies: {} }).hono.request('/api/me', {
      headers: { ACCESSTOKEN: await accessToken(), cookie: '__Host-cognito-access=garbage' },
    })
    expect(res.status).toBe(200)
  })
})

describe('required tokens', () => {
  const cases: [RequiredTokens, 'id' | 'access' | 'none', number][] = [
    ['any', 'none', 401],
    ['any', 'id', 200],
    ['any', 'access', 200],
    ['access', 'id', 401],
    ['access', 'access', 200],
    ['id', 'access', 401],
    ['id', 'id', 200],
    ['both', 'id', 401],
    ['both', 'access', 401],
  ]
  for (const [require, present, status] of cases) {
    it(`require "${require}" with ${present === 'none' ? 'no token' : `only an ${present} token`} → ${status}`, async () => {
      const headers: Record<string, string> = {}
      if (present === 'id') headers.IDTOKEN = await idToken()
      if (present === 'access') headers.ACCESSTOKEN = await accessToken()
      const { hono, handled } = app({ auth: { require } })
      const res = await hono.request('/api/me', { headers })
      expect(res.status).toBe(status)
      expect(handled).toHaveLength(status === 200 ? 1 : 0)
      if (status === 401) {
        // RFC 6750 §3.1: no credentials at all → the realm only, no error code.
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="cognito-edge"')
        expect(await body(res)).toMatchObject({ code: 'ERR_COGNITO_TOKEN_MISSING' })
      }
    })
  }
})

describe('tokenUse in the options', () => {
  it("tokenUse: 'access' refuses an ID token even though the middleware reads the IDTOKEN header", async () => {
    const { hono, handled } = app({ pool: { tokenUse: 'access' } })
    const res = await hono.request('/api/me', { headers: { IDTOKEN: await idToken() } })
    expect(res.status).toBe(401)
    expect(await body(res)).toMatchObject({ code: 'ERR_COGNITO_TOKEN_USE' })
    expect(handled).toHaveLength(0)
    expect((await hono.request('/api/me', { headers: { ACCESSTOKEN: await accessToken() } })).status).toBe(200)
  })
})

describe('errors', () => {
  it('an invalid token → 401 invalid_token with a description, and the handler never runs', async () => {
    const stranger = await rsaKey('main-key')
    const { hono, handled } = app()
    const res = await hono.request('/api/me', {
      headers: { ACCESSTOKEN: await mint(stranger, idClaims({ token_use: 'access' })) },
    })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="cognito-edge", error="invalid_token", error_description="the token signature does not verify"',
    )
    expect(await body(res)).toEqual({ error: 'the token signature does not verify', code: 'ERR_COGNITO_SIGNATURE' })
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(handled).toHaveLength(0)
  })

  it('an expired token → 401 ERR_COGNITO_EXPIRED', async () => {
    const res = await app().hono.request('/api/me', { headers: { ACCESSTOKEN: await accessToken({ exp: NOW_SECONDS - 5 }) } })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toMatch(
      /error="invalid_token", error_description="token expired at 2026-11-28T11:59:55.000Z"$/,
    )
    expect((await body(res)).code).toBe('ERR_COGNITO_EXPIRED')
  })

  it('a definite rejection outranks expiry when both tokens fail', async () => {
    const res = await app().hono.request('/api/me', {
      headers: { ACCESSTOKEN: await accessToken({ exp: NOW_SECONDS - 5 }), IDTOKEN: await idToken({ aud: OTHER_CLIENT_ID }) },
    })
    expect((await body(res)).code).toBe('ERR_COGNITO_AUDIENCE')
  })

  it('an unreachable key set → 503 with Retry-After, never a pass', async () => {
    const origin = fakeOrigin(new Response('down', { status: 502 }))
    const { hono, handled } = app({ fetch: origin.fetch })
    const res = await hono.request('/api/me', { headers: { ACCESSTOKEN: await accessToken() } })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('5')
    expect(res.headers.get('www-authenticate')).toBeNull()
    expect((await body(res)).code).toBe('ERR_COGNITO_KEYS_UNAVAILABLE')
    expect(handled).toHaveLength(0)
  })

  it('the realm is configurable and quoted safely', async () => {
    const res = await app({ realm: 'my "api" \\ here' }).hono.request('/api/me')
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="my \\"api\\" \\\\ here"')
  })

  it('onError shapes the response and sees the default one', async () => {
    const seen: string[] = []
    const res = await app({
      onError: (error, c, response) => {
        seen.push(`${error.code} ${response.status}`)
        return c.json({ problem: error.code }, 418)
      },
    }).hono.request('/api/me')
    expect(res.status).toBe(418)
    expect(await res.json()).toEqual({ problem: 'ERR_COGNITO_TOKEN_MISSING' })
    expect(seen).toEqual(['ERR_COGNITO_TOKEN_MISSING 401'])
  })
})

describe('ID and access tokens must belong together', () => {
  const mismatches: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['different users', { sub: 'someone-else' }, {}],
    ['different clients of the same pool', { aud: OTHER_CLIENT_ID }, { client_id: CLIENT_ID }],
  ]
  for (const [name, idOverrides, accessOverrides] of mismatches) {
    it(`${name} → 401 ERR_COGNITO_TOKEN_MISMATCH`, async () => {
      const { hono, handled } = app({ pool: { clientId: [CLIENT_ID, OTHER_CLIENT_ID] } })
      const res = await hono.request('/api/me', {
        headers: { IDTOKEN: await idToken(idOverrides), ACCESSTOKEN: await accessToken(accessOverrides) },
      })
      expect(res.status).toBe(401)
      expect((await body(res)).code).toBe('ERR_COGNITO_TOKEN_MISMATCH')
      expect(handled).toHaveLength(0)
    })
  }

  it('different pools → 401 ERR_COGNITO_TOKEN_MISMATCH', async () => {
    const otherPoolKey = await rsaKey('other-pool-key')
    const origin = fakeOrigin(jwksOf(signingKey))
    origin.serve(jwksOf(otherPoolKey), `${OTHER_ISSUER}/.well-known/jwks.json`)
    const { hono, handled } = app({ pool: { userPoolId: [POOL_ID, 'eu-west-1_OtherPool'] }, fetch: origin.fetch })
    const res = await hono.request('/api/me', {
      headers: {
        IDTOKEN: await idToken(),
        ACCESSTOKEN: await mint(otherPoolKey, {
          ...idClaims({ iss: OTHER_ISSUER }),
          token_use: 'access',
          client_id: CLIENT_ID,
          aud: undefined,
        }),
      },
    })
    expect(res.status).toBe(401)
    expect((await body(res)).code).toBe('ERR_COGNITO_TOKEN_MISMATCH')
    expect(handled).toHaveLength(0)
  })
})

describe('optional mode', () => {
  function optionalApp() {
    const hono = new Hono<{ Variables: CognitoAuthOptionalVariables }>()
    hono.use('*', cognitoAuth({ ...authOptions(), auth: { optional: true } }))
    hono.get('/', (c) => c.json({ user: c.var.cognito?.claims.sub ?? null }))
    hono.get('/admin', requireGroups('admins'), (c) => c.text('admin'))
    return hono
  }

  it('lets an anonymous request through with c.var.cognito === null', async () => {
    const res = await optionalApp().request('/')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ user: null })
  })

  it('still authenticates a request with a token', async () => {
    const res = await optionalApp().request('/', { headers: { ACCESSTOKEN: await accessToken() } })
    expect(await res.json()).toEqual({ user: SUB })
  })

  it('still refuses an invalid token', async () => {
    const res = await optionalApp().request('/', { headers: { ACCESSTOKEN: await accessToken({ exp: NOW_SECONDS - 1 }) } })
    expect(res.status).toBe(401)
  })

  it('guards answer 401 for an anonymous request', async () => {
    const res = await optionalApp().request('/admin')
    expect(res.status).toBe(401)
    expect((await body(res)).code).toBe('ERR_COGNITO_TOKEN_MISSING')
  })
})

describe('types', () => {
  it('types c.var.cognito, and makes it nullable in optional mode', async () => {
    const strict = new Hono().use(cognitoAuth(authOptions()))
    strict.get('/', (c) => {
      expectTypeOf(c.var.cognito).toEqualTypeOf<CognitoAuthContext>()
      expectTypeOf(c.var.cognito.claims.sub).toEqualTypeOf<string>()
      expectTypeOf(c.var.cognito.user).toEqualTypeOf<null>()
      return c.text(c.var.cognito.claims.sub)
    })
    const optional = new Hono().use(cognitoAuth({ ...authOptions(), auth: { optional: true } }))
    optional.get('/', (c) => {
      expectTypeOf(c.var.cognito).toEqualTypeOf<CognitoAuthContext | null>()
      return c.text(c.var.cognito?.claims.sub ?? 'anonymous')
    })
    expectTypeOf<CognitoAuthVariables>().toEqualTypeOf<{ cognito: CognitoAuthContext }>()
    // What the types say is what runs: a session in strict mode, null for an anonymous request in optional mode.
    expect(await (await strict.request('/', { headers: { ACCESSTOKEN: await accessToken() } })).text()).toBe(SUB)
    expect(await (await optional.request('/')).text()).toBe('anonymous')
  })
})
