// Found by an adversarial review: auth.loginRedirect sends a page navigation to its own sign-in route. When the middleware
// covers that route too — app.use('*', edge.auth({ loginRedirect: true })) before app.route('/auth',
// edge.routes()), the usual order for "every page needs a session" — the sign-in route answers a
// 302 to itself, with the previous URL nested in return_to, forever (ERR_TOO_MANY_REDIRECTS; every
// hop a request to the Worker), and Cognito's callback is bounced to a fresh sign-in, losing its
// code. Nothing refuses or warns about this at startup. The sign-in route (and the callback) should
// never be redirected to the sign-in route: let the edge's own managed-login routes through, or
// keep their 401.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type CognitoAuthVariables, createCognitoEdge } from '../../src/hono'
import { authOptions } from '../helpers/auth'
import { APP, DOMAIN, HTML, MANAGED } from '../hono/routes/hosted-ui'

function app() {
  const edge = createCognitoEdge(authOptions({ cookies: {}, managedLogin: MANAGED }))
  const hono = new Hono<{ Variables: CognitoAuthVariables }>()
  hono.use('*', edge.auth({ loginRedirect: true }))
  hono.route('/auth', edge.routes())
  hono.get('/account/', (c) => c.text(`hello ${c.var.cognito.claims.sub}`))
  return hono
}

describe('loginRedirect never loops on its own sign-in route', () => {
  it('a navigation to a page ends at the hosted UI (or an answer) within a few same-origin hops', async () => {
    const hono = app()
    let location = '/account/'
    const visited: string[] = []
    for (let hop = 0; hop < 5 && location.startsWith('/'); hop++) {
      visited.push(location)
      const res = await hono.request(`${APP}${location}`, { headers: HTML })
      if (res.status !== 302) {
        location = `answered ${res.status}`
        break
      }
      location = res.headers.get('location') ?? ''
    }
    expect(location.startsWith('/'), `still on this origin after ${visited.join(' → ')}`).toBe(false)
    if (location.startsWith('http')) expect(new URL(location).origin).toBe(DOMAIN)
  })

  for (const path of ['/auth/oauth2/login?return_to=%2Faccount%2F', '/auth/oauth2/callback?code=c0de&state=st4te']) {
    it(`${path.split('?')[0]} is not redirected to the sign-in route`, async () => {
      const res = await app().request(`${APP}${path}`, { headers: HTML })
      const location = res.headers.get('location') ?? ''
      expect(location.startsWith('/auth/oauth2/login'), `${res.status} → ${location}`).toBe(false)
    })
  }
})
