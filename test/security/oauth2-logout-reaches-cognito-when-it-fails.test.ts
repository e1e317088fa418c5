// Found by an adversarial review: GET /auth/oauth2/logout must end the hosted UI's own session (Cognito's /logout) even when
// Cognito's RevokeToken or GlobalSignOut fails. Before the fix any such failure answered an error page
// ("Sign-in failed") instead of the 302 to <domain>/logout: the local cookies are gone, but the
// hosted UI's session cookie on the Cognito domain survives, so the next "Sign in" click in that
// browser (a shared or kiosk machine) is signed in silently as the previous user, without a password.
// With routes.globalSignOut and the default scopes (openid email profile: no
// aws.cognito.signin.user.admin, which GlobalSignOut needs) this happens on every hosted-UI sign-out.
import { describe, expect, it } from 'vitest'
import { type CognitoHandler, cognitoError } from '../helpers/fake-cognito'
import { CLIENT_ID } from '../helpers/tokens'
import { APP, DOMAIN, HTML, SESSION_COOKIES, type HostedUiOptions, hostedUi } from '../hono/routes/hosted-ui'

const COGNITO_LOGOUT = `${DOMAIN}/logout?client_id=${CLIENT_ID}&logout_uri=${encodeURIComponent(`${APP}/`)}`

/** Signs in through the hosted UI, then follows the app's "Sign out" link with the session cookies. */
async function signOut(options: HostedUiOptions, failing: [operation: string, handler: CognitoHandler]) {
  const rig = hostedUi(options)
  const signedIn = await rig.signIn()
  expect(signedIn.status).toBe(302)
  const cookie = signedIn.headers
    .getSetCookie()
    .map((value) => value.split(';')[0] as string)
    .filter((pair) => !pair.endsWith('='))
    .join('; ')
  rig.cognito.on(...failing)
  return rig.get('/auth/oauth2/logout', { ...HTML, cookie })
}

function endedEverywhere(res: Response): void {
  // The session here is gone…
  for (const name of SESSION_COOKIES)
    expect(res.headers.getSetCookie().some((value) => value.startsWith(`${name}=;`) && /Max-Age=0/.test(value))).toBe(true)
  // …and the browser still goes to Cognito's /logout, which ends the hosted UI's session.
  expect(res.status).toBe(302)
  expect(res.headers.get('location')).toBe(COGNITO_LOGOUT)
}

describe('hosted-UI sign-out when Cognito fails', () => {
  it('RevokeToken answers 500: still 302 to the hosted UI /logout', async () => {
    endedEverywhere(await signOut({}, ['RevokeToken', () => cognitoError('InternalErrorException', 'boom', 500)]))
  })

  it('RevokeToken is throttled: still 302 to the hosted UI /logout', async () => {
    endedEverywhere(await signOut({}, ['RevokeToken', () => cognitoError('TooManyRequestsException', 'Rate exceeded')]))
  })

  it('RevokeToken is unreachable: still 302 to the hosted UI /logout', async () => {
    endedEverywhere(await signOut({}, ['RevokeToken', () => Promise.reject(new TypeError('fetch failed'))]))
  })

  it('routes.globalSignOut with the default scopes (GlobalSignOut refused): still 302 to the hosted UI /logout', async () => {
    const refused = () => cognitoError('NotAuthorizedException', 'Access Token does not have required scopes')
    endedEverywhere(await signOut({ routes: { globalSignOut: true } }, ['GlobalSignOut', refused]))
  })
})
