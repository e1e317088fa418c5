// The settings of createCognitoEdge (src/hono/settings.ts), checked once when the edge is built:
// nothing can be passed and ignored — an unknown key at the top or in any section fails with
// ERR_COGNITO_CONFIG naming it, before any request.
import { describe, expect, it } from 'vitest'
import { createCognitoClient, isCognitoAuthError } from '../../src/index'
import { cognitoAuth, cognitoRoutes, createCognitoEdge } from '../../src/hono'
import { authOptions } from '../helpers/auth'
import { CREDENTIALS, fakeCognito } from '../helpers/fake-cognito'
import { CLIENT_ID, OTHER_CLIENT_ID, POOL_ID } from '../helpers/tokens'

function configErrorOf(build: () => unknown): string {
  try {
    build()
  } catch (error) {
    if (isCognitoAuthError(error, 'ERR_COGNITO_CONFIG')) return error.message
    throw error
  }
  throw new Error('construction did not fail')
}

describe('unknown keys are refused, naming them', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['at the top (a typo)', { cokies: {} }, /^createCognitoEdge settings has no option "cokies" \(known: pool, /],
    ['in pool', { pool: { userPoolID: POOL_ID, clientId: CLIENT_ID } }, /^pool has no option "userPoolID" \(known: userPoolId, /],
    [
      'in pool: I/O belongs at the top',
      { pool: { userPoolId: POOL_ID, clientId: CLIENT_ID, fetch } },
      /^pool has no option "fetch"/,
    ],
    ['in cognito', { cognito: { regoin: 'eu-west-1' } }, /^cognito has no option "regoin" \(known: region, /],
    [
      'in cognito: credentials are a signer now',
      { cognito: { credentials: CREDENTIALS } },
      /^cognito has no option "credentials"/,
    ],
    ['in refresh', { refresh: { rotate: true } }, /^refresh has no option "rotate" \(known: rotation, /],
    ['in auth', { auth: { requires: 'both' } }, /^auth has no option "requires" \(known: require, optional, loginRedirect\)$/],
    [
      'in routes',
      { routes: { ratelimit: () => true } },
      /^routes has no option "ratelimit" \(known: globalSignOut, rateLimit\)$/,
    ],
  ]
  for (const [where, change, message] of cases) {
    it(`${where} → ERR_COGNITO_CONFIG`, () => {
      expect(configErrorOf(() => createCognitoEdge({ ...authOptions(), ...change } as never))).toMatch(message)
    })
  }

  // The flat options of before the sections: each now lives in a section, and is refused where it used to be.
  const flat: [string, unknown][] = [
    ['userPoolId', POOL_ID],
    ['clientId', CLIENT_ID],
    ['clientSecret', 's3cr3t'],
    ['region', 'us-east-1'],
    ['endpoint', 'http://127.0.0.1:9229'],
    ['credentials', CREDENTIALS],
    ['require', 'both'],
    ['optional', true],
    ['rateLimit', () => true],
    ['globalSignOut', true],
    ['jwks', { keys: [] }],
  ]
  for (const [name, value] of flat) {
    it(`the old flat option ${name} is refused at the top, by cognitoAuth and cognitoRoutes alike`, () => {
      const settings = { ...authOptions(), [name]: value } as never
      const message = new RegExp(`^createCognitoEdge settings has no option "${name}"`)
      expect(configErrorOf(() => cognitoAuth(settings))).toMatch(message)
      expect(configErrorOf(() => cognitoRoutes(settings))).toMatch(message)
    })
  }
})

describe('the sections', () => {
  it('settings are required: cognitoAuth() and cognitoRoutes() read no env by themselves (pass optionsFromEnv)', () => {
    for (const build of [cognitoAuth, cognitoRoutes, createCognitoEdge]) {
      expect(configErrorOf(() => (build as (settings?: unknown) => unknown)())).toBe(
        'createCognitoEdge settings must be an object',
      )
    }
  })

  it('pool is required', () => {
    expect(configErrorOf(() => createCognitoEdge({} as never))).toMatch(/^pool is required/)
  })

  it('cognito: { client } takes nothing else beside it', () => {
    const client = fakeCognito().client()
    expect(configErrorOf(() => createCognitoEdge(authOptions({ cognito: { client, region: 'eu-west-1' } as never })))).toBe(
      'cognito has no option "region" (known: client)',
    )
  })

  it('cognito: { client } must be a client createCognitoClient made', () => {
    expect(configErrorOf(() => createCognitoEdge(authOptions({ cognito: { client: {} as never } })))).toBe(
      'cognito.client must be made by createCognitoClient',
    )
  })

  it('cognito: { client } for an app client the pool does not allow is refused: the routes would sign users in to it', () => {
    const client = createCognitoClient({ region: 'us-east-1', clientId: OTHER_CLIENT_ID })
    expect(configErrorOf(() => createCognitoEdge(authOptions({ cognito: { client } })))).toBe(
      'cognito.client has a clientId that pool.clientId does not allow',
    )
  })

  const invalid: [string, Parameters<typeof authOptions>[0], RegExp][] = [
    ['auth.require', { auth: { require: 'all' as never } }, /^auth.require must be "any", "access", "id" or "both"$/],
    ['auth.optional', { auth: { optional: 'yes' as never } }, /^auth.optional must be true or false$/],
    ['refresh.rotation', { refresh: { rotation: 'sometimes' as never } }, /^refresh.rotation must be "auto", true or false$/],
    ['refresh.refreshBefore', { refresh: { refreshBefore: -1 } }, /^refresh.refreshBefore must be a finite number ≥ 0$/],
    ['refresh.burstWindow', { refresh: { burstWindow: Infinity } }, /^refresh.burstWindow must be a finite number ≥ 0$/],
    ['cognito.retries', { cognito: { retries: 5 } }, /^retries must be a whole number from 0 to 2$/],
    ['cognito.endpoint', { cognito: { endpoint: 'localhost:9229' } }, /^endpoint must be an absolute http\(s\) URL$/],
    ['cognito.region', { cognito: { region: 'mars-1' } }, /^region "mars-1" is not an AWS region/],
    ['csrf', { csrf: 'yes' as never }, /^csrf must be true, false or \{ check, secure, httpOnly \}$/],
    ['csrf.check', { csrf: { check: 'yes' as never } }, /^csrf.check must be true or false$/],
    ['csrf.httpOnly', { csrf: { httpOnly: 1 as never } }, /^csrf.httpOnly must be true or false$/],
    ['csrf.secure', { cookies: { sameSite: 'None' }, csrf: { secure: false } }, /^csrf.secure false needs a SameSite/],
    ['realm', { realm: '' }, /^realm must be a non-empty string/],
    ['onError', { onError: 'log' as never }, /^onError must be a function$/],
    ['users', { users: {} as never }, /^users must be a user store such as d1UserStore/],
    ['routes.rateLimit', { routes: { rateLimit: 'yes' as never } }, /^routes.rateLimit must be a function$/],
  ]
  for (const [name, overrides, message] of invalid) {
    it(`a bad ${name} → ERR_COGNITO_CONFIG naming it`, () => {
      expect(configErrorOf(() => createCognitoEdge(authOptions(overrides)))).toMatch(message)
    })
  }

  it("takes the caller's settings as they are: frozen sections work and nothing is changed", () => {
    const pool = Object.freeze({ userPoolId: POOL_ID, clientId: Object.freeze([CLIENT_ID]) })
    const settings = Object.freeze({ pool, auth: Object.freeze({ require: 'id' as const }), cookies: Object.freeze({}) })
    const edge = createCognitoEdge(settings)
    expect(Object.isFrozen(edge)).toBe(true)
    expect(settings).toEqual({ pool: { userPoolId: POOL_ID, clientId: [CLIENT_ID] }, auth: { require: 'id' }, cookies: {} })
  })
})
