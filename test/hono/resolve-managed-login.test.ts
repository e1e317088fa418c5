// The managedLogin section (src/hono/resolve-managed-login.ts), checked when the edge is built: each
// mistake is ERR_COGNITO_CONFIG naming the setting, before any user is sent to Cognito.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type ManagedLoginSettings, isCognitoAuthError } from '../../src/index'
import { createCognitoEdge } from '../../src/hono'
import { authOptions } from '../helpers/auth'
import { MANAGED } from './routes/hosted-ui'

function configErrorOf(build: () => unknown): string {
  try {
    build()
  } catch (error) {
    if (isCognitoAuthError(error, 'ERR_COGNITO_CONFIG')) return error.message
    throw error
  }
  throw new Error('construction did not fail')
}

const edgeWith = (managedLogin: Record<string, unknown>, overrides: Parameters<typeof authOptions>[0] = {}) =>
  createCognitoEdge(authOptions({ cookies: {}, managedLogin: managedLogin as unknown as ManagedLoginSettings, ...overrides }))

describe('managedLogin settings', () => {
  it('builds with the three required settings', () => {
    expect(() => edgeWith({ ...MANAGED })).not.toThrow()
  })

  const mistakes: [string, Record<string, unknown>, RegExp][] = [
    ['an unknown key', { ...MANAGED, redirectURI: 'x' }, /^managedLogin has no option "redirectURI" \(known: domain, /],
    [
      'no cookieSecret',
      { ...MANAGED, cookieSecret: undefined },
      /^managedLogin.cookieSecret is required: a secret of at least 32 bytes$/,
    ],
    ['a cookieSecret under 32 bytes', { ...MANAGED, cookieSecret: 'x'.repeat(31) }, /^managedLogin.cookieSecret is required/],
    ['no domain', { ...MANAGED, domain: undefined }, /^managedLogin.domain must be an absolute http\(s\) URL$/],
    [
      'a plain-http domain',
      { ...MANAGED, domain: 'http://example.auth.us-east-1.amazoncognito.com' },
      /^managedLogin.domain must be an https URL/,
    ],
    ['a domain with a path', { ...MANAGED, domain: `${MANAGED.domain}/oauth2` }, /^managedLogin.domain must be the domain alone/],
    [
      'a redirect URI with a fragment',
      { ...MANAGED, redirectUri: `${MANAGED.redirectUri}#x` },
      /^managedLogin.redirectUri must have neither/,
    ],
    [
      'a plain-http redirect URI',
      { ...MANAGED, redirectUri: 'http://app.example.com/cb' },
      /^managedLogin.redirectUri must be an https URL/,
    ],
    ['a logout URI that is not a URL', { ...MANAGED, logoutUri: '/goodbye' }, /^managedLogin.logoutUri must be an absolute/],
    ['scopes without openid', { ...MANAGED, scopes: ['email', 'profile'] }, /^managedLogin.scopes must include openid$/],
    ['a malformed scope', { ...MANAGED, scopes: ['openid', 'a"b'] }, /^managedLogin.scopes must be scope names/],
    [
      'a malformed identity provider',
      { ...MANAGED, identityProvider: 'Google Workspace' },
      /^managedLogin.identityProvider must be/,
    ],
    [
      'a transaction over 10 minutes',
      { ...MANAGED, transactionMaxAge: 601 },
      /^managedLogin.transactionMaxAge must be more than 0 and at most 600/,
    ],
    ['a transaction of 0 seconds', { ...MANAGED, transactionMaxAge: 0 }, /^managedLogin.transactionMaxAge must be more than 0/],
    [
      'unsafeEmulator not a boolean',
      { ...MANAGED, unsafeEmulator: 'yes' },
      /^managedLogin.unsafeEmulator must be true or false$/,
    ],
  ]
  for (const [what, section, message] of mistakes) {
    it(`${what} → ERR_COGNITO_CONFIG`, () => expect(configErrorOf(() => edgeWith(section))).toMatch(message))
  }

  it('needs cookie mode: the callback hands the session over as cookies', () => {
    expect(configErrorOf(() => edgeWith({ ...MANAGED }, { cookies: null }))).toMatch(/^managedLogin needs cookie mode/)
  })

  it('needs an app client', () => {
    expect(configErrorOf(() => edgeWith({ ...MANAGED }, { pool: { clientId: null } }))).toMatch(
      /^managedLogin needs pool.clientId/,
    )
  })

  it('allows plain http on a loopback host (a dev machine)', () => {
    const local = { ...MANAGED, domain: 'http://127.0.0.1:9229', redirectUri: 'http://localhost:8787/auth/oauth2/callback' }
    expect(() => edgeWith(local)).not.toThrow()
  })

  it('takes scopes as one space-separated string', async () => {
    const edge = edgeWith({ ...MANAGED, scopes: 'openid  aws.cognito.signin.user.admin' })
    const res = await new Hono().route('/auth', edge.routes()).request('/auth/oauth2/login')
    expect(new URL(res.headers.get('location') ?? '').searchParams.get('scope')).toBe('openid aws.cognito.signin.user.admin')
  })
})
