// settingsFromEnv (src/d1/env.ts): the seed's settings-only configuration — the user table from
// COGNITO_USERS_D1, and no user setting silently ignored.
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { optionsFromEnv } from '../../src/index'
import { settingsFromEnv } from '../../src/d1'
import { CLIENT_ID, POOL_ID } from '../helpers/tokens'

const base = { COGNITO_POOL_ID: POOL_ID, APP_CLIENT_ID: CLIENT_ID }

describe('settingsFromEnv', () => {
  it('is optionsFromEnv plus a D1 user store on the binding COGNITO_USERS_D1 names', () => {
    const settings = settingsFromEnv({ ...base, COGNITO_USERS_D1: 'DB', DB: env.DB, AUTO_CREATE_USER: 'true' })
    const { users, revocations, renewals, ...rest } = settings
    expect(rest).toEqual(optionsFromEnv(base))
    expect([revocations, renewals]).toEqual([null, null])
    expect(typeof users?.resolveUser).toBe('function')
  })

  it('without COGNITO_USERS_D1 and without user settings: no store', () => {
    expect(settingsFromEnv(base).users).toBeNull()
  })

  for (const name of [
    'AUTO_CREATE_USER',
    'COGNITO_TOKEN_REF_FIELD',
    'COGNITO_USER_MODEL_FIELD_REF_FIELD',
    'COGNITO_USER_FIELD_MAPPING',
  ]) {
    it(`${name} without COGNITO_USERS_D1 fails, naming both (it would do nothing)`, () => {
      expect(() => settingsFromEnv({ ...base, [name]: name === 'COGNITO_USER_FIELD_MAPPING' ? '{}' : 'true' })).toThrow(
        new RegExp(`^${name} needs COGNITO_USERS_D1`),
      )
    })
  }

  it('COGNITO_USERS_D1 naming a binding that is not D1 fails, naming it', () => {
    expect(() => settingsFromEnv({ ...base, COGNITO_USERS_D1: 'NOPE' })).toThrow(
      /COGNITO_USERS_D1 names "NOPE", which is not a D1 binding/,
    )
    expect(() => settingsFromEnv({ ...base, COGNITO_USERS_D1: 'KV', KV: {} })).toThrow(/not a D1 binding/)
  })

  it('the user settings reach the store: a bad mapping column fails when the settings are read', () => {
    expect(() =>
      settingsFromEnv({ ...base, COGNITO_USERS_D1: 'DB', DB: env.DB, COGNITO_USER_FIELD_MAPPING: '{"nickname": "email"}' }),
    ).toThrow(/mapping names "nickname", which is not a column/)
  })

  it('optionsFromEnv refuses COGNITO_USERS_D1 rather than ignore it', () => {
    expect(() => optionsFromEnv({ ...base, COGNITO_USERS_D1: 'DB' })).toThrow(/settingsFromEnv from cognito-edge\/d1/)
  })
})
