// Canned behaviours of a fake Cognito for the routes fuzz test, and the one table of which 5xx
// each behaviour may cause: a 503 only when the fake failed on purpose, and only with the code
// that failure calls for.
import { fc } from '@fast-check/vitest'
import type { CognitoErrorCode } from '../../src/index'
import { signingKey } from '../helpers/auth'
import { cognitoError, fakeCognito } from '../helpers/fake-cognito'
import { jwksOf } from '../helpers/keys'
import { accessClaims, idClaims, mint } from '../helpers/tokens'

/** What the fake answered with when a 200 was not what it should have been. */
export const GARBAGE_ANSWERS = {
  'an HTML page': '<html><body>Bad gateway</body></html>',
  'an empty body': '',
  'JSON null': 'null',
  'a JSON array': '[{"AuthenticationResult":{}}]',
  'a JSON string': '"AuthenticationResult"',
  'an empty object': '{}',
  'AuthenticationResult null': '{"AuthenticationResult":null}',
  'tokens that are not strings': '{"AuthenticationResult":{"AccessToken":1,"IdToken":true,"RefreshToken":[]}}',
  'strings a cookie cannot carry': '{"AuthenticationResult":{"AccessToken":"not a token","IdToken":"not;a token"}}',
  'cookie-safe strings that are not tokens':
    '{"AuthenticationResult":{"AccessToken":"a.b.c","IdToken":"x.y.z","ExpiresIn":"soon"}}',
  'a challenge of the wrong types': '{"ChallengeName":{"name":1},"Session":5,"ChallengeParameters":"x"}',
  'sign-up details of the wrong types': '{"UserConfirmed":"yes","UserSub":{"a":1},"CodeDeliveryDetails":"text"}',
  'an answer over 1 MiB': ' '.repeat(1024 * 1024 + 1),
} as const

/** Cognito errors as the JSON API sends them: type, message, status. */
export const COGNITO_ERRORS: readonly (readonly [type: string, message: string, status: number])[] = [
  ['NotAuthorizedException', 'Incorrect username or password.', 400],
  ['NotAuthorizedException', 'Invalid Refresh Token', 400],
  ['NotAuthorizedException', 'Unable to verify secret hash for client 1example23456789abcdefghij', 400],
  ['UserNotFoundException', 'User does not exist.', 400],
  ['UsernameExistsException', 'User already exists', 400],
  ['AliasExistsException', 'An account with the email already exists.', 400],
  ['UserNotConfirmedException', 'User is not confirmed.', 400],
  ['PasswordResetRequiredException', 'Password reset required for the user', 400],
  ['CodeMismatchException', 'Invalid verification code provided, please try again.', 400],
  ['ExpiredCodeException', 'Invalid code provided, please request a code again.', 400],
  ['InvalidPasswordException', 'Password did not conform with policy', 400],
  ['InvalidParameterException', 'REFRESH_TOKEN_AUTH auth flow not enabled for this client', 400],
  ['InvalidParameterException', '1 validation error detected', 400],
  ['ResourceNotFoundException', 'User pool client does not exist.', 400],
  ['TooManyRequestsException', 'Too many requests', 400],
  ['LimitExceededException', 'Attempt limit exceeded, please try after some time.', 400],
  ['TooManyFailedAttemptsException', 'Too many failed attempts.', 400],
  ['UnexpectedLambdaException', 'PreSignUp failed with error boom.', 400],
  ['com.amazonaws.cognito.identity.idp.model#NotAuthorizedException', 'Access Token has been revoked', 400],
  ['SomeFutureException', 'A kind of error cognito-edge does not know yet', 400],
  ['InternalErrorException', 'Internal server error', 500],
]

export type Behaviour =
  | { readonly kind: 'success'; readonly rotate: boolean; readonly otherUser: boolean }
  | { readonly kind: 'challenge' }
  | { readonly kind: 'error'; readonly type: string; readonly message: string; readonly status: number }
  | { readonly kind: 'garbage'; readonly answer: keyof typeof GARBAGE_ANSWERS }
  | { readonly kind: 'tokens too large for a cookie' }
  | { readonly kind: 'unavailable'; readonly status: number; readonly body: string }
  | { readonly kind: 'network error' }
  | { readonly kind: 'keys unavailable' }

export const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
  fc.record({ kind: fc.constant('success' as const), rotate: fc.boolean(), otherUser: fc.boolean() }),
  fc.constant({ kind: 'challenge' as const }),
  fc.constantFrom(...COGNITO_ERRORS).map(([type, message, status]) => ({ kind: 'error' as const, type, message, status })),
  fc.constantFrom(...(Object.keys(GARBAGE_ANSWERS) as (keyof typeof GARBAGE_ANSWERS)[])).map((answer) => ({
    kind: 'garbage' as const,
    answer,
  })),
  fc.constant({ kind: 'tokens too large for a cookie' as const }),
  fc.record({
    kind: fc.constant('unavailable' as const),
    status: fc.constantFrom(500, 502, 503, 504),
    body: fc.constantFrom('', '<html>Service Unavailable</html>', '{"message":"upstream"}'),
  }),
  fc.constant({ kind: 'network error' as const }),
  fc.constant({ kind: 'keys unavailable' as const }),
)

/** Tokens the fake issues: never the ones a request sends, so a body holding them is no reflection. */
const issued = {
  id: await mint(signingKey, idClaims({ jti: 'issued-by-the-fake-id' })),
  access: await mint(signingKey, accessClaims({ jti: 'issued-by-the-fake-access' })),
  otherId: await mint(signingKey, idClaims({ sub: 'another-user', jti: 'issued-by-the-fake-id' })),
  otherAccess: await mint(signingKey, accessClaims({ sub: 'another-user', jti: 'issued-by-the-fake-access' })),
  largeId: await mint(signingKey, idClaims({ jti: 'issued-by-the-fake-id', 'cognito:groups': Array(400).fill('group-name') })),
  largeAccess: await mint(
    signingKey,
    accessClaims({ jti: 'issued-by-the-fake-access', 'cognito:groups': Array(400).fill('group') }),
  ),
}

function signedIn(id: string, access: string, rotate: boolean) {
  return {
    AuthenticationResult: {
      IdToken: id,
      AccessToken: access,
      ExpiresIn: 3600,
      TokenType: 'Bearer',
      ...(rotate ? { RefreshToken: 'rotated-by-the-fake-refresh-token' } : {}),
    },
    ChallengeParameters: {},
  }
}

/** What the fake answers `operation` with when it behaves as asked (an object becomes a 200 JSON answer). */
function answer(behaviour: Behaviour, operation: string, body: Record<string, unknown>): Response | object {
  const refreshing = operation === 'GetTokensFromRefreshToken' || body.AuthFlow === 'REFRESH_TOKEN_AUTH'
  const signIn = operation === 'InitiateAuth' || operation === 'RespondToAuthChallenge' || refreshing
  switch (behaviour.kind) {
    case 'keys unavailable':
    case 'challenge':
    case 'success': {
      const rotate = behaviour.kind === 'success' && behaviour.rotate
      const other = behaviour.kind === 'success' && behaviour.otherUser
      if (behaviour.kind === 'challenge' && signIn && !refreshing) {
        return { ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'issued-by-the-fake-session', ChallengeParameters: {} }
      }
      if (signIn) return signedIn(other ? issued.otherId : issued.id, other ? issued.otherAccess : issued.access, rotate)
      if (operation === 'SignUp') {
        return { UserConfirmed: false, UserSub: 'issued-by-the-fake-sub', CodeDeliveryDetails: { DeliveryMedium: 'EMAIL' } }
      }
      if (operation === 'ResendConfirmationCode' || operation === 'ForgotPassword') {
        return { CodeDeliveryDetails: { Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' } }
      }
      return {}
    }
    case 'error':
      return cognitoError(behaviour.type, behaviour.message, behaviour.status)
    case 'garbage':
      return new Response(GARBAGE_ANSWERS[behaviour.answer], { headers: { 'content-type': 'application/x-amz-json-1.1' } })
    case 'tokens too large for a cookie':
      return signIn ? signedIn(issued.largeId, issued.largeAccess, false) : {}
    case 'unavailable':
      return new Response(behaviour.body, { status: behaviour.status })
    case 'network error':
      throw new TypeError('fetch failed')
  }
}

export interface BehavingCognito {
  readonly fetch: typeof fetch
  /** Cognito API calls (and how many of them renewed a session) and key-set fetches made so far. */
  readonly calls: { cognito: number; refreshes: number; keys: number }
}

/** A fake Cognito (and key-set origin) that answers every operation the way `behaviour` says. */
export function behavingCognito(behaviour: Behaviour): BehavingCognito {
  const calls = { cognito: 0, refreshes: 0, keys: 0 }
  const cognito = fakeCognito({}, signingKey)
  for (const operation of [
    'InitiateAuth',
    'RespondToAuthChallenge',
    'GetTokensFromRefreshToken',
    'SignUp',
    'ConfirmSignUp',
    'ResendConfirmationCode',
    'ForgotPassword',
    'ConfirmForgotPassword',
    'RevokeToken',
    'GlobalSignOut',
  ]) {
    cognito.on(operation, (body) => {
      if (operation === 'GetTokensFromRefreshToken' || body.AuthFlow === 'REFRESH_TOKEN_AUTH') calls.refreshes++
      return answer(behaviour, operation, body)
    })
  }
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    if (url.endsWith('/.well-known/jwks.json')) {
      calls.keys++
      return behaviour.kind === 'keys unavailable'
        ? new Response('unavailable', { status: 503 })
        : Response.json(jwksOf(signingKey))
    }
    calls.cognito++
    if (behaviour.kind === 'network error') throw new TypeError('fetch failed')
    return cognito.fetch(input, init)
  }
  return { fetch: fetchImpl as typeof fetch, calls }
}

/**
 * The server errors a request may get after the fake made these calls behaving this way: a 503
 * only when the fake failed on purpose, with the code of that failure. Anything else ≥ 500 is a bug.
 */
export function allowedServerErrors(
  behaviour: Behaviour,
  calls: BehavingCognito['calls'],
  cookieMode: boolean,
): Map<number, CognitoErrorCode[]> {
  const allowed = new Map<number, CognitoErrorCode[]>()
  const allow = (status: number, code: CognitoErrorCode) => allowed.set(status, [...(allowed.get(status) ?? []), code])
  if (behaviour.kind === 'keys unavailable' && calls.keys > 0) allow(503, 'ERR_COGNITO_KEYS_UNAVAILABLE')
  if (calls.cognito === 0) return allowed
  const cognitoDown =
    behaviour.kind === 'unavailable' ||
    behaviour.kind === 'network error' ||
    // Any garbage: not JSON at all, or "tokens" that do not verify (the routes verify what Cognito issued).
    behaviour.kind === 'garbage' ||
    (behaviour.kind === 'error' && (behaviour.status >= 500 || behaviour.type === 'InternalErrorException'))
  if (cognitoDown) allow(503, 'ERR_COGNITO_UNAVAILABLE')
  // A renewal that fails for any reason but the refresh token itself is Cognito's or the settings' fault.
  if (calls.refreshes > 0 && (behaviour.kind === 'error' || behaviour.kind === 'garbage'))
    allow(503, 'ERR_COGNITO_REFRESH_FAILED')
  // A session cookie over 4096 bytes is refused as a server error by design (hono/challenge.ts).
  if (behaviour.kind === 'tokens too large for a cookie' && cookieMode) allow(500, 'ERR_COGNITO_COOKIE_TOO_LARGE')
  return allowed
}
