// Refresh after expiry against cognito-local, with the client whose tokens live 3 seconds.
import { describe, expect, it } from 'vitest'
import { createCognitoVerifier } from '../../src/index'
import { loginWithClient, stack } from './helpers'

describe('refresh after expiry', () => {
  it('renews expired tokens in the middleware; the new tokens verify and then work without a refresh', async () => {
    const tokens = await loginWithClient(stack.clients.shortLived.id, stack.demoUser.username, stack.demoUser.password)
    await new Promise((resolve) => setTimeout(resolve, (stack.clients.shortLived.validitySeconds + 1) * 1000))
    const headers = { IDTOKEN: tokens.IdToken, ACCESSTOKEN: tokens.AccessToken }

    const expired = await fetch(`${stack.url}/api/me`, { headers })
    expect(expired.status).toBe(401)
    expect(await expired.json()).toMatchObject({ code: 'ERR_COGNITO_EXPIRED' })

    const renewed = await fetch(`${stack.url}/api/me`, { headers: { ...headers, REFRESHTOKEN: tokens.RefreshToken } })
    expect(renewed.status).toBe(200)
    expect(await renewed.json()).toMatchObject({ refreshed: true })
    const newId = renewed.headers.get('IDTOKEN')
    const newAccess = renewed.headers.get('ACCESSTOKEN')
    expect(renewed.headers.get('access-control-expose-headers')).toContain('ACCESSTOKEN')

    const verifier = createCognitoVerifier({
      userPoolId: stack.poolId,
      clientId: stack.clients.shortLived.id,
      jwksUri: stack.jwksUri,
    })
    expect(await verifier.verify(newId ?? '', { tokenUse: 'id' })).toMatchObject({ sub: stack.demoUser.sub })
    expect(await verifier.verify(newAccess ?? '', { tokenUse: 'access' })).toMatchObject({ sub: stack.demoUser.sub })

    const next = await fetch(`${stack.url}/api/me`, { headers: { IDTOKEN: newId ?? '', ACCESSTOKEN: newAccess ?? '' } })
    expect(next.status).toBe(200)
    expect(await next.json()).toMatchObject({ refreshed: false })
    expect(next.headers.get('ACCESSTOKEN')).toBeNull()
  })
})
