// Attack: enumerate accounts through Cognito's per-user limits. Cognito counts ForgotPassword
// requests and wrong ConfirmForgotPassword codes per EXISTING user and, past its limit (about 5),
// answers LimitExceededException ("Attempt limit exceeded, please try after some time.") for
// that user only; an unknown username (pools without user-existence-error prevention, the case the
// routes hide on purpose) keeps answering UserNotFoundException. The routes turn the refusals into
// one answer but pass LimitExceeded through as 429 ERR_COGNITO_THROTTLED, so six requests for a
// username tell whether it has an account. (Side effect: the probing also locks the real user out
// of password reset for a while.)
//
// TooManyRequestsException (the account-wide API throttle, the same for every username) is a
// different thing and may stay 429.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { cognitoRoutes } from '../../src/hono'
import { authOptions } from '../helpers/auth'
import { type CognitoHandler, cognitoError, fakeCognito } from '../helpers/fake-cognito'

const LIMIT = 5

/** Cognito for one operation: `known` exists, and is limited after LIMIT attempts; anyone else is unknown. */
function perUserLimited(known: string, ok: () => object | Response): CognitoHandler {
  let attempts = 0
  return (body) => {
    if (body.Username !== known) return cognitoError('UserNotFoundException', 'Username/client id combination not found.')
    if (++attempts > LIMIT) return cognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.')
    return ok()
  }
}

async function sixthAnswer(path: string, operation: string, ok: () => object | Response, username: string, extra: object) {
  const cognito = fakeCognito({ [operation]: perUserLimited('alice@example.com', ok) })
  const app = new Hono().route('/auth', cognitoRoutes(authOptions({ fetch: cognito.fetch })))
  let last: Response | null = null
  for (let i = 0; i <= LIMIT; i++) {
    last = await app.request(`/auth/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, ...extra }),
    })
  }
  const res = last as Response
  // The masked destination follows the username asked about (as Cognito's own simulated deliveries
  // do), so two usernames are compared by everything else: status, headers, the body's shape.
  const body = JSON.parse(await res.text()) as Record<string, unknown>
  const details = body.CodeDeliveryDetails as Record<string, unknown> | undefined
  if (details) details.Destination = typeof details.Destination
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body }
}

describe('per-user attempt limits do not tell accounts apart', () => {
  it('forgot_password: the 6th request for an existing and for an unknown user answer alike', async () => {
    const sent = () => ({ CodeDeliveryDetails: { Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' } })
    const existing = await sixthAnswer('forgot_password', 'ForgotPassword', sent, 'alice@example.com', {})
    const unknown = await sixthAnswer('forgot_password', 'ForgotPassword', sent, 'nobody@example.com', {})
    // Before the fix: existing → 429 ERR_COGNITO_THROTTLED with Cognito's sentence, unknown → 200 {"requested":true}.
    expect(existing).toEqual(unknown)
  })

  it('confirm_forgot_password: the 6th wrong code for an existing and for an unknown user answer alike', async () => {
    const wrongCode = () => cognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.')
    const body = { code: '000000', new_password: 'N3w-Passw0rd!' }
    const existing = await sixthAnswer('confirm_forgot_password', 'ConfirmForgotPassword', wrongCode, 'alice@example.com', body)
    const unknown = await sixthAnswer('confirm_forgot_password', 'ConfirmForgotPassword', wrongCode, 'nobody@example.com', body)
    // Before the fix: existing → 429, unknown → 400 ERR_COGNITO_CODE_MISMATCH.
    expect(existing).toEqual(unknown)
  })
})
