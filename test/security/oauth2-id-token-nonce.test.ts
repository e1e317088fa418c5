// The ID token must carry the nonce this sign-in sent to /oauth2/authorize (OpenID Connect Core
// §3.1.3.7): tokens issued for another sign-in — an injected code, a swapped answer — open no
// session. Only cognito-local, which drops the nonce, may go without one, and only through a
// setting named for the risk that refuses any domain but a loopback one.
import { describe, expect, it } from 'vitest'
import { createCognitoEdge } from '../../src/hono'
import { isCognitoAuthError } from '../../src/index'
import { authOptions } from '../helpers/auth'
import { errorOf } from '../helpers/errors'
import { MANAGED, cookiesSet, hostedUi } from '../hono/routes/hosted-ui'

const EMULATOR = { domain: 'http://127.0.0.1:9229', unsafeEmulator: true }

async function refusedForNonce(res: Response): Promise<void> {
  expect(res.status).toBe(401)
  expect(cookiesSet(res)).toEqual([])
  expect((await errorOf(res)).code).toBe('ERR_COGNITO_NONCE')
}

describe("the ID token's nonce", () => {
  it('refuses an ID token with another nonce', async () => {
    await refusedForNonce(await hostedUi({ issuedIdClaims: { nonce: 'someone-elses-nonce' } }).signIn())
  })

  it('refuses an ID token without a nonce', async () => {
    await refusedForNonce(await hostedUi({ issuedIdClaims: { nonce: undefined } }).signIn())
  })

  it('refuses a nonce that is not a string', async () => {
    await refusedForNonce(await hostedUi({ issuedIdClaims: { nonce: 42 } }).signIn())
  })

  it('unsafeEmulator accepts an ID token without a nonce (cognito-local drops it)', async () => {
    const res = await hostedUi({ managedLogin: EMULATOR, issuedIdClaims: { nonce: undefined } }).signIn()
    expect(res.status).toBe(302)
  })

  it('unsafeEmulator still refuses a nonce that differs', async () => {
    await refusedForNonce(await hostedUi({ managedLogin: EMULATOR, issuedIdClaims: { nonce: 'other' } }).signIn())
  })

  it('unsafeEmulator is refused at startup for any domain but a loopback one', () => {
    for (const domain of [MANAGED.domain, 'https://auth.example.com', 'http://10.0.0.5:9229', 'http://127.0.0.1.evil.example']) {
      let error: unknown
      try {
        createCognitoEdge(authOptions({ cookies: {}, managedLogin: { ...MANAGED, domain, unsafeEmulator: true } }))
      } catch (caught) {
        error = caught
      }
      expect(isCognitoAuthError(error, 'ERR_COGNITO_CONFIG'), domain).toBe(true)
    }
  })
})
