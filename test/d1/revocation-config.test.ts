// Settings of the revocation list and the renewal coordinator: checked when built, with
// ERR_COGNITO_CONFIG naming the setting — options, createCognitoEdge, settingsFromEnv, optionsFromEnv.
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { type D1RevocationsOptions, d1Revocations, settingsFromEnv } from '../../src/d1'
import { durableRenewals } from '../../src/durable'
import { createCognitoEdge } from '../../src/hono'
import { optionsFromEnv } from '../../src/index'
import { authOptions } from '../helpers/auth'
import { CLIENT_ID, POOL_ID } from '../helpers/tokens'

const namespace = { idFromName: () => ({}), get: () => ({ fetch: async () => new Response() }) }

describe('d1Revocations options', () => {
  const cases: [string, Partial<D1RevocationsOptions> & Record<string, unknown>, RegExp][] = [
    ['an unknown option', { maxStaleneess: 5 }, /has no option "maxStaleneess"/],
    ['no D1 binding', { database: 'DB' as never }, /database must be a D1 binding/],
    ['maxStaleness 0', { maxStaleness: 0 }, /maxStaleness must be more than 0 seconds/],
    ['a negative maxStaleness', { maxStaleness: -1 }, /maxStaleness must be a finite number/],
    ['failAfter below maxStaleness', { maxStaleness: 10, failAfter: 5 }, /failAfter must be at least maxStaleness/],
    ['an unknown onUnavailable', { onUnavailable: 'maybe' as never }, /onUnavailable must be "closed" or "open"/],
    ['a fractional refreshTokenLifetime', { refreshTokenLifetime: 1.5 }, /refreshTokenLifetime must be whole seconds/],
    ['a report that is not a function', { report: 'console' as never }, /report must be a function/],
  ]
  for (const [what, options, message] of cases) {
    it(`refuses ${what}`, () => {
      expect(() => d1Revocations({ database: env.DB, ...options })).toThrow(message)
    })
  }
})

describe('createCognitoEdge', () => {
  it('refuses a revocations look-alike', () => {
    expect(() => createCognitoEdge(authOptions({ revocations: { check: () => {} } as never }))).toThrow(
      /revocations must be a revocation list such as d1Revocations/,
    )
  })

  it('refuses renewals with refresh false: the coordinator would never be used', () => {
    expect(() => createCognitoEdge(authOptions({ renewals: durableRenewals(namespace), refresh: false }))).toThrow(
      /renewals needs refresh/,
    )
  })

  it('refuses a renewals look-alike, and durableRenewals refuses what is not a namespace', () => {
    expect(() => createCognitoEdge(authOptions({ renewals: { renew: () => {} } as never }))).toThrow(
      /renewals must be a renewal coordinator/,
    )
    expect(() => durableRenewals(env.DB as never)).toThrow(/needs a Durable Object namespace binding/)
  })
})

describe('settings from env', () => {
  const base = { COGNITO_POOL_ID: POOL_ID, APP_CLIENT_ID: CLIENT_ID }

  it('COGNITO_REVOCATIONS_D1 and COGNITO_RENEWAL_DO build the list and the coordinator', () => {
    const settings = settingsFromEnv({
      ...base,
      COGNITO_REVOCATIONS_D1: 'DB',
      DB: env.DB,
      COGNITO_REVOCATION_MAX_STALENESS: '2.5',
      COGNITO_REVOCATION_ON_UNAVAILABLE: 'Open',
      COGNITO_RENEWAL_DO: 'RENEWALS',
      RENEWALS: namespace,
    })
    expect(typeof settings.revocations?.check).toBe('function')
    expect(typeof settings.renewals?.renew).toBe('function')
    expect(() => createCognitoEdge(() => settings)).not.toThrow()
  })

  it('COGNITO_REVOCATION_REFRESH_TOKEN_LIFETIME sets how long entries are kept', async () => {
    const settings = settingsFromEnv({
      ...base,
      COGNITO_REVOCATIONS_D1: 'DB',
      DB: env.DB,
      COGNITO_REVOCATION_REFRESH_TOKEN_LIFETIME: '7776000',
    })
    const notBefore = Math.floor(Date.now() / 1000)
    await settings.revocations?.revokeUser('lifetime-from-env', notBefore)
    const row = await env.DB.prepare('SELECT expires_at FROM cognito_revocations WHERE key = ?')
      .bind('lifetime-from-env')
      .first<{ expires_at: number }>()
    expect(row?.expires_at).toBe(notBefore + 7_776_000)
  })

  it('a bad COGNITO_REVOCATION_REFRESH_TOKEN_LIFETIME fails, naming it', () => {
    const list = { ...base, COGNITO_REVOCATIONS_D1: 'DB', DB: env.DB }
    for (const value of ['0', '-3', '2.5', '30d'])
      expect(() => settingsFromEnv({ ...list, COGNITO_REVOCATION_REFRESH_TOKEN_LIFETIME: value })).toThrow(
        /COGNITO_REVOCATION_REFRESH_TOKEN_LIFETIME must be whole seconds above 0/,
      )
  })

  for (const name of [
    'COGNITO_REVOCATION_MAX_STALENESS',
    'COGNITO_REVOCATION_ON_UNAVAILABLE',
    'COGNITO_REVOCATION_REFRESH_TOKEN_LIFETIME',
  ]) {
    it(`${name} without COGNITO_REVOCATIONS_D1 fails, naming both (it would do nothing)`, () => {
      expect(() => settingsFromEnv({ ...base, [name]: '5' })).toThrow(new RegExp(`^${name} needs COGNITO_REVOCATIONS_D1`))
    })
  }

  it('a bad COGNITO_REVOCATION_MAX_STALENESS or COGNITO_REVOCATION_ON_UNAVAILABLE fails, naming it', () => {
    const list = { ...base, COGNITO_REVOCATIONS_D1: 'DB', DB: env.DB }
    for (const value of ['0', '-3', 'ten', 'Infinity'])
      expect(() => settingsFromEnv({ ...list, COGNITO_REVOCATION_MAX_STALENESS: value })).toThrow(
        /COGNITO_REVOCATION_MAX_STALENESS must be a number of seconds above 0/,
      )
    expect(() => settingsFromEnv({ ...list, COGNITO_REVOCATION_ON_UNAVAILABLE: 'sometimes' })).toThrow(
      /COGNITO_REVOCATION_ON_UNAVAILABLE must be "closed" or "open"/,
    )
  })

  it('bindings that are not what the setting needs fail, naming them', () => {
    expect(() => settingsFromEnv({ ...base, COGNITO_REVOCATIONS_D1: 'RENEWALS', RENEWALS: namespace })).toThrow(
      /COGNITO_REVOCATIONS_D1 names "RENEWALS", which is not a D1 binding/,
    )
    expect(() => settingsFromEnv({ ...base, COGNITO_RENEWAL_DO: 'DB', DB: env.DB })).toThrow(
      /COGNITO_RENEWAL_DO names "DB", which is not a Durable Object namespace/,
    )
  })

  for (const name of ['COGNITO_REVOCATIONS_D1', 'COGNITO_RENEWAL_DO']) {
    it(`optionsFromEnv refuses ${name} rather than ignore it`, () => {
      expect(() => optionsFromEnv({ ...base, [name]: 'X' })).toThrow(/settingsFromEnv from cognito-edge\/d1/)
    })
  }
})
