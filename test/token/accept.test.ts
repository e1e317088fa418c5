import { afterEach, describe, expect, it, vi } from 'vitest'
import { createCognitoVerifier } from '../../src/index'
import { jwksOf, rsaKey } from '../helpers/keys'
import { fakeOrigin } from '../helpers/origin'
import {
  CLIENT_ID,
  ISSUER,
  JWKS_URI,
  NEW_ISSUER,
  NOW,
  NOW_SECONDS,
  OTHER_CLIENT_ID,
  OTHER_ISSUER,
  OTHER_POOL_ID,
  POOL_ID,
  SUB,
  accessClaims,
  idClaims,
  mint,
} from '../helpers/tokens'

const main = await rsaKey('main-key')
const newIssuerKey = await rsaKey('new-issuer-key')
const otherPoolKey = await rsaKey('other-pool-key')

afterEach(() => {
  vi.restoreAllMocks()
})

function setup(extra: Partial<Parameters<typeof createCognitoVerifier>[0]> = {}) {
  const clock = { now: NOW }
  const origin = fakeOrigin(jwksOf(main), JWKS_URI)
  origin.serve(jwksOf(newIssuerKey), `${NEW_ISSUER}/.well-known/jwks.json`)
  origin.serve(jwksOf(otherPoolKey), `${OTHER_ISSUER}/.well-known/jwks.json`)
  const verifier = createCognitoVerifier({
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    fetch: origin.fetch,
    now: () => clock.now,
    ...extra,
  })
  return { clock, origin, verifier }
}

describe('createCognitoVerifier accepts', () => {
  it('an ID token, returning its claims', async () => {
    const { verifier, origin } = setup()
    const claims = await verifier.verify(await mint(main, idClaims()))
    expect(claims).toEqual(idClaims())
    expect(claims.token_use).toBe('id')
    expect(origin.calls).toEqual([JWKS_URI])
  })

  it('an access token, with tokenUse asked per call', async () => {
    const { verifier } = setup()
    const claims = await verifier.verify(await mint(main, accessClaims()), { tokenUse: 'access' })
    expect(claims).toMatchObject({ sub: SUB, client_id: CLIENT_ID, scope: 'aws.cognito.signin.user.admin openid email' })
  })

  it('tokens of the issuer-cognito-idp host, from that host’s own key set', async () => {
    const { verifier, origin } = setup()
    await expect(verifier.verify(await mint(newIssuerKey, idClaims({ iss: NEW_ISSUER })))).resolves.toMatchObject({
      iss: NEW_ISSUER,
    })
    expect(origin.calls).toEqual([`${NEW_ISSUER}/.well-known/jwks.json`])
    // The classic host's set does not hold the new host's key.
    await expect(verifier.verify(await mint(newIssuerKey, idClaims()))).rejects.toMatchObject({ code: 'ERR_COGNITO_KID' })
  })

  it('several pools and several clients', async () => {
    const { verifier } = setup({ userPoolId: [POOL_ID, OTHER_POOL_ID], clientId: [CLIENT_ID, OTHER_CLIENT_ID] })
    await expect(verifier.verify(await mint(main, idClaims({ aud: OTHER_CLIENT_ID })))).resolves.toMatchObject({
      aud: OTHER_CLIENT_ID,
    })
    await expect(verifier.verify(await mint(otherPoolKey, accessClaims({ iss: OTHER_ISSUER })))).resolves.toMatchObject({
      iss: OTHER_ISSUER,
    })
  })

  it('any client when clientId is explicitly null', async () => {
    const { verifier } = setup({ clientId: null })
    await expect(verifier.verify(await mint(main, idClaims({ aud: 'any-client-at-all' })))).resolves.toMatchObject({
      aud: 'any-client-at-all',
    })
  })

  it('a token just past exp, iat or nbf within the clock tolerance, and not beyond it', async () => {
    const { verifier } = setup({ clockTolerance: 30 })
    await expect(verifier.verify(await mint(main, idClaims({ exp: NOW_SECONDS - 29 })))).resolves.toMatchObject({
      sub: SUB,
      exp: NOW_SECONDS - 29,
    })
    await expect(
      verifier.verify(await mint(main, idClaims({ iat: NOW_SECONDS + 29, nbf: NOW_SECONDS + 29 }))),
    ).resolves.toMatchObject({ sub: SUB, iat: NOW_SECONDS + 29, nbf: NOW_SECONDS + 29 })
    await expect(verifier.verify(await mint(main, idClaims({ exp: NOW_SECONDS - 31 })))).rejects.toMatchObject({
      code: 'ERR_COGNITO_EXPIRED',
    })
  })

  it('returns frozen claims, so no caller can alter what the cache hands the next one', async () => {
    const { verifier } = setup()
    const claims = await verifier.verify(await mint(main, idClaims()))
    expect(Object.isFrozen(claims)).toBe(true)
    expect(Object.isFrozen(claims['cognito:groups'])).toBe(true)
  })
})

describe('the verified-token cache', () => {
  it('answers a repeat without parsing or checking the signature again', async () => {
    const { verifier } = setup()
    const token = await mint(main, idClaims())
    const first = await verifier.verify(token)
    const signatureChecks = vi.spyOn(crypto.subtle, 'verify')
    const again = await verifier.verify(token)
    expect(again).toBe(first)
    expect(signatureChecks).not.toHaveBeenCalled()
  })

  it('re-checks exp on a hit', async () => {
    const { verifier, clock } = setup()
    const token = await mint(main, idClaims({ exp: NOW_SECONDS + 10 }))
    await verifier.verify(token)
    clock.now += 10_000
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'ERR_COGNITO_EXPIRED' })
  })

  it('re-checks nbf on a hit (a clock that steps back)', async () => {
    const { verifier, clock } = setup()
    const token = await mint(main, idClaims({ nbf: NOW_SECONDS }))
    await verifier.verify(token)
    clock.now -= 60_000
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'ERR_COGNITO_NOT_YET_VALID' })
  })

  it('re-checks the requested token use on a hit', async () => {
    const { verifier } = setup()
    const token = await mint(main, idClaims())
    await verifier.verify(token, { tokenUse: 'id' })
    await expect(verifier.verify(token, { tokenUse: 'access' })).rejects.toMatchObject({ code: 'ERR_COGNITO_TOKEN_USE' })
  })

  it('stays within its bound, evicting the least recently used', async () => {
    const { verifier } = setup({ verifiedCacheSize: 5 })
    const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => mint(main, idClaims({ jti: `t${i}` }))))
    for (const token of tokens) await verifier.verify(token)
    const signatureChecks = vi.spyOn(crypto.subtle, 'verify')
    for (const token of tokens.slice(5)) await verifier.verify(token)
    expect(signatureChecks).toHaveBeenCalledTimes(0) // the newest five are cached
    for (const token of tokens.slice(0, 5)) await verifier.verify(token)
    expect(signatureChecks).toHaveBeenCalledTimes(5) // the oldest five were evicted
  })

  it('is off with a size of 0', async () => {
    const { verifier } = setup({ verifiedCacheSize: 0 })
    const token = await mint(main, idClaims())
    await verifier.verify(token)
    const signatureChecks = vi.spyOn(crypto.subtle, 'verify')
    await verifier.verify(token)
    expect(signatureChecks).toHaveBeenCalledTimes(1)
  })

  it('never answers for a token whose key has left the key set, once the refetch that learns it lands', async () => {
    const second = await rsaKey('second-key')
    const { verifier, origin, clock } = setup()
    origin.serve(jwksOf(main, second), JWKS_URI)
    const token = await mint(second, idClaims({ exp: NOW_SECONDS + 7200 }))
    await verifier.verify(token)
    origin.serve(jwksOf(main), JWKS_URI) // the key is rotated out at the origin
    clock.now += 3_600_000 // the set reaches its max age: still served while it is refetched in the background
    const background: Promise<unknown>[] = []
    await verifier.verify(token, { waitUntil: (promise) => void background.push(promise) })
    await Promise.all(background)
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'ERR_COGNITO_KID' })
    // Still out on the next try: no stale cache entry came back.
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'ERR_COGNITO_KID' })
  })

  it('does not store a token that failed', async () => {
    const { verifier } = setup()
    const token = await mint(main, idClaims({ aud: OTHER_CLIENT_ID }))
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'ERR_COGNITO_AUDIENCE' })
    const signatureChecks = vi.spyOn(crypto.subtle, 'verify')
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'ERR_COGNITO_AUDIENCE' })
    expect(signatureChecks).toHaveBeenCalledTimes(1)
  })
})

describe('the key-set URL', () => {
  it('follows the issuer and jwksUri overrides (emulators)', async () => {
    const emulator = 'http://127.0.0.1:9229/local_pool'
    const { verifier, origin } = setup({
      userPoolId: 'local_pool',
      issuer: emulator,
      jwksUri: 'http://127.0.0.1:9229/local_pool/.well-known/jwks.json',
    })
    origin.serve(jwksOf(main), 'http://127.0.0.1:9229/local_pool/.well-known/jwks.json')
    await expect(verifier.verify(await mint(main, idClaims({ iss: emulator })))).resolves.toMatchObject({ iss: emulator })
    await expect(verifier.verify(await mint(main, idClaims({ iss: ISSUER })))).rejects.toMatchObject({
      code: 'ERR_COGNITO_ISSUER',
    })
    expect(origin.calls).toEqual(['http://127.0.0.1:9229/local_pool/.well-known/jwks.json'])
  })
})
