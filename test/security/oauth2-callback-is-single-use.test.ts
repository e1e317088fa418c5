// A transaction is spent by its callback: the cookie is cleared on every outcome, and this isolate
// remembers the states it served for as long as their transactions could live, so a callback
// replayed with a copy of the cookie (a jar that ignores the deletion, a captured request) is 400
// ERR_COGNITO_OAUTH2_STATE without reaching the token endpoint. (Cognito's codes are single-use too:
// a replay on another isolate ends at the code exchange, 401.)
import { describe, expect, it } from 'vitest'
import { errorOf } from '../helpers/errors'
import { NOW } from '../helpers/tokens'
import { TRANSACTION_COOKIE, cookiesSet, hostedUi } from '../hono/routes/hosted-ui'

describe('a sign-in transaction is single-use', () => {
  it('the callback clears the transaction cookie', async () => {
    const res = await hostedUi().signIn()
    const header = res.headers.getSetCookie().find((cookie) => cookie.startsWith(`${TRANSACTION_COOKIE}=`))
    expect(header).toBe(`${TRANSACTION_COOKIE}=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax`)
  })

  it('a replayed callback with the same cookie is refused without a second code exchange', async () => {
    const rig = hostedUi()
    const { authorize, cookie } = await rig.start()
    const query = rig.signInAtCognito(authorize)
    expect((await rig.callback(query, cookie)).status).toBe(302)
    const replay = await rig.callback(query, cookie)
    expect(replay.status).toBe(400)
    expect(await errorOf(replay)).toEqual({
      code: 'ERR_COGNITO_OAUTH2_STATE',
      message: 'this sign-in was already completed; start again',
    })
    expect(cookiesSet(replay)).toEqual([])
    expect(rig.cognito.calls.filter((call) => call.operation === '/oauth2/token')).toHaveLength(1)
  })

  it('a transaction whose exchange failed is spent too', async () => {
    const rig = hostedUi({ tokenEndpoint: () => Response.json({ error: 'server_error' }, { status: 500 }) })
    const { authorize, cookie } = await rig.start()
    const query = rig.signInAtCognito(authorize)
    expect((await rig.callback(query, cookie)).status).toBe(503)
    expect((await errorOf(await rig.callback(query, cookie))).code).toBe('ERR_COGNITO_OAUTH2_STATE')
    expect(rig.cognito.calls).toHaveLength(1)
  })

  it('a replay after the transaction would have expired is still refused (as expired)', async () => {
    const rig = hostedUi()
    const { authorize, cookie } = await rig.start()
    const query = rig.signInAtCognito(authorize)
    await rig.callback(query, cookie)
    rig.clock.now = NOW + 600_000
    expect((await errorOf(await rig.callback(query, cookie))).message).toBe('the sign-in took too long; start again')
  })
})
