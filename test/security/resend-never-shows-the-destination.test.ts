// Attack: tell a simulated code delivery from a real one. resend_confirmation_code answers a user who
// gets no code (unknown, already confirmed, disabled) with a delivery made up from the USERNAME:
// "m***@m***" for `mallory` (the username is used as both local part and domain). A real delivery
// masks the user's real email or phone ("a***@g***" for alice@gmail.com, "+*******4567" by SMS).
// For pools whose usernames are not email addresses, "first letter of the username on both sides
// of the @, medium EMAIL" marks the simulated answer: an attacker learns which usernames belong to
// accounts still waiting for confirmation (and where their code went), which the route promises to
// hide ("an unknown, a confirmed and a disabled user get one identical answer" — but an
// unconfirmed one does not).
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { cognitoRoutes } from '../../src/hono'
import { authOptions } from '../helpers/auth'
import { type CognitoHandler, cognitoError, fakeCognito } from '../helpers/fake-cognito'

// The pool as Cognito holds it: alice signed up (email alice@gmail.com) and has not confirmed yet;
// bob (phone only) likewise; nobody is called mallory or trent.
const resend: CognitoHandler = (body) => {
  if (body.Username === 'alice')
    return { CodeDeliveryDetails: { Destination: 'a***@g***', DeliveryMedium: 'EMAIL', AttributeName: 'email' } }
  if (body.Username === 'bob')
    return { CodeDeliveryDetails: { Destination: '+*******4567', DeliveryMedium: 'SMS', AttributeName: 'phone_number' } }
  return cognitoError('UserNotFoundException', 'Username/client id combination not found.')
}

function app() {
  const cognito = fakeCognito({ ResendConfirmationCode: resend })
  return new Hono().route('/auth', cognitoRoutes(authOptions({ fetch: cognito.fetch })))
}

async function answer(username: string) {
  const res = await app().request('/auth/resend_confirmation_code', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username }),
  })
  return { status: res.status, cacheControl: res.headers.get('cache-control'), body: await res.text() }
}

/** The attacker's rule: a delivery whose masked address starts with the username's first letter on both sides is made up. */
function looksSimulated(username: string, body: string): boolean {
  const details = (JSON.parse(body) as { CodeDeliveryDetails?: { Destination?: string } }).CodeDeliveryDetails
  const first = username[0]
  return details?.Destination === `${first}***@${first}***`
}

describe('resend_confirmation_code, unconfirmed vs unknown username (non-email usernames)', () => {
  it('an unconfirmed account and an unknown username get one identical answer', async () => {
    // Same first letter, so only existence can make a difference.
    const [existing, unknown] = await Promise.all([answer('alice'), answer('amber')])
    expect(unknown).toEqual(existing)
  })

  it("the attacker's rule tells them apart: it must not", async () => {
    const verdicts = await Promise.all(
      ['alice', 'bob', 'mallory', 'trent'].map(async (name) => looksSimulated(name, (await answer(name)).body)),
    )
    // Before the fix: [false, false, true, true] — exactly the accounts that exist are singled out.
    expect(new Set(verdicts).size).toBe(1)
  })
})
