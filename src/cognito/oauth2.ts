// The hosted UI's OAuth 2.0 endpoints on the user pool's domain: the authorize URL with PKCE
// (RFC 7636, S256 only), the authorization-code exchange at /oauth2/token — HTTP Basic client
// authentication when the app client has a secret (RFC 6749 §2.3.1), bounded in time and in body
// size like every Cognito call — and the logout URL. Framework-free: URLs in, tokens out.
import { BodyTooLarge, readBoundedText } from '../bounded-read'
import { fetchOption } from '../config'
import { DeadlineExceeded, withDeadline } from '../deadline'
import { CognitoAuthError } from '../errors'
import { encodeBase64Url } from '../token/base64url'
import { type CognitoTokens, signInResult } from './sign-in-result'

export interface AuthorizeInput {
  /** The pool's domain, e.g. `https://example.auth.us-east-1.amazoncognito.com`. */
  readonly domain: string
  /** The app client signing in. */
  readonly clientId: string
  /** The callback, exactly as registered with the app client. */
  readonly redirectUri: string
  /** OAuth scopes; `openid` for an ID token. */
  readonly scopes: readonly string[]
  /** Random and unguessable, compared with the callback's (RFC 6749 §10.12). */
  readonly state: string
  /** Comes back in the ID token: ties the tokens to this sign-in (OpenID Connect Core §3.1.2.1). */
  readonly nonce: string
  /** `pkceChallenge(codeVerifier)`. */
  readonly codeChallenge: string
  /** Go straight to this identity provider (`Google`, `COGNITO`, a SAML provider's name). Default: Cognito's choice page. */
  readonly identityProvider?: string | null
}

export interface CodeExchangeInput {
  /** The pool's domain. */
  readonly domain: string
  /** The app client the code was issued to. */
  readonly clientId: string
  /** The app client's secret: sent as HTTP Basic authentication. Default none (a public client). */
  readonly clientSecret?: string | null
  /** The redirect URI the authorize request named, exactly. */
  readonly redirectUri: string
  /** The `code` of the callback. */
  readonly code: string
  /** The PKCE verifier whose challenge the authorize request sent. */
  readonly codeVerifier: string
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch
  /** Milliseconds before the exchange is abandoned. Default `5000`. */
  readonly timeoutMs?: number
}

const MAX_RESPONSE_BYTES = 64 * 1024
/** RFC 6749 §5.2's error codes: only these are repeated in a message; anything else stays in `cause`. */
const TOKEN_ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
])

/** A Cognito identity provider name (1–32 letters, digits, symbols or punctuation, as its API allows). */
export function isIdentityProviderName(name: unknown): name is string {
  return typeof name === 'string' && /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,32}$/u.test(name)
}

/** The S256 code challenge of a PKCE verifier (RFC 7636 §4.2): base64url(SHA-256(verifier)). */
export async function pkceChallenge(codeVerifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier))
  return encodeBase64Url(new Uint8Array(digest))
}

/**
 * Where to send the browser to sign in.
 *
 * @example
 * ```ts
 * const url = authorizeUrl({ domain, clientId, redirectUri, scopes: ['openid'], state, nonce, codeChallenge: await pkceChallenge(verifier) })
 * ```
 */
export function authorizeUrl(input: AuthorizeInput): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    scope: input.scopes.join(' '),
    state: input.state,
    nonce: input.nonce,
    code_challenge: input.codeChallenge,
    code_challenge_method: 'S256',
  })
  if (input.identityProvider) params.set('identity_provider', input.identityProvider)
  return `${input.domain.replace(/\/+$/, '')}/oauth2/authorize?${params}`
}

/** Where to send the browser after the session ended here: Cognito's /logout ends the hosted UI's own session too. */
export function logoutUrl(input: { readonly domain: string; readonly clientId: string; readonly logoutUri: string }): string {
  const params = new URLSearchParams({ client_id: input.clientId, logout_uri: input.logoutUri })
  return `${input.domain.replace(/\/+$/, '')}/logout?${params}`
}

/** `application/x-www-form-urlencoded` of client id and secret, then base64 (RFC 6749 §2.3.1). */
function basicAuthorization(clientId: string, clientSecret: string): string {
  const form = (value: string) => encodeURIComponent(value).replace(/%20/g, '+')
  return `Basic ${btoa(`${form(clientId)}:${form(clientSecret)}`)}`
}

function unavailable(message: string, cause?: unknown): CognitoAuthError {
  return new CognitoAuthError('ERR_COGNITO_UNAVAILABLE', message, cause === undefined ? undefined : { cause })
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null // a proxy's HTML page, say
  }
}

/** The failure an answer other than 200 means: an OAuth refusal (4xx with `error`), throttling, or Cognito being down. */
function refusal(status: number, body: Record<string, unknown> | null): CognitoAuthError {
  if (status === 429) return new CognitoAuthError('ERR_COGNITO_THROTTLED', 'the token endpoint asked to slow down')
  const error = typeof body?.error === 'string' ? body.error : null
  if (status >= 500 || error === null) return unavailable(`the token endpoint answered ${status}`)
  const named = TOKEN_ERRORS.has(error) ? ` (${error})` : ''
  const said = typeof body?.error_description === 'string' ? `: ${body.error_description}` : ''
  return new CognitoAuthError('ERR_COGNITO_OAUTH2_CODE_REJECTED', `Cognito refused the sign-in code${named}; sign in again`, {
    cause: new Error(`${error}${said}`),
  })
}

/** The token endpoint's answer as the one token parser reads Cognito's tokens. */
function tokensOf(body: Record<string, unknown> | null): CognitoTokens {
  const answer = {
    AuthenticationResult: {
      IdToken: body?.id_token,
      AccessToken: body?.access_token,
      RefreshToken: body?.refresh_token,
      ExpiresIn: body?.expires_in,
      TokenType: body?.token_type,
    },
  }
  try {
    const result = signInResult(answer, 'token endpoint')
    if (result.kind === 'tokens') return result.tokens
  } catch (error) {
    throw unavailable('the token endpoint answered 200 without an ID and an access token', error)
  }
  throw unavailable('the token endpoint answered 200 without tokens')
}

/**
 * Exchanges an authorization code for tokens (grant `authorization_code` with the PKCE verifier).
 * Never retried: a code is single-use. Rejects with ERR_COGNITO_OAUTH2_CODE_REJECTED when Cognito
 * refuses it, ERR_COGNITO_THROTTLED, or ERR_COGNITO_UNAVAILABLE (5xx, timeout, network, not JSON).
 * The tokens are not verified here: verify them before trusting them.
 */
export async function exchangeAuthorizationCode(input: CodeExchangeInput): Promise<CognitoTokens> {
  const send = fetchOption(input.fetch)
  const timeoutMs = input.timeoutMs ?? 5000
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
  if (input.clientSecret) headers.authorization = basicAuthorization(input.clientId, input.clientSecret)
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: input.clientId,
    code: input.code,
    redirect_uri: input.redirectUri,
    code_verifier: input.codeVerifier,
  })
  const url = `${input.domain.replace(/\/+$/, '')}/oauth2/token`
  let answer: { status: number; body: Record<string, unknown> | null }
  try {
    answer = await withDeadline(timeoutMs, async (signal) => {
      const response = await send(url, { method: 'POST', headers, body: body.toString(), signal, redirect: 'manual' })
      return { status: response.status, body: parseJson(await readBoundedText(response, MAX_RESPONSE_BYTES)) }
    })
  } catch (error) {
    const reason =
      error instanceof DeadlineExceeded
        ? `timed out after ${timeoutMs} ms`
        : error instanceof BodyTooLarge
          ? 'answered with an oversized body'
          : 'could not be reached'
    throw unavailable(`the token endpoint ${reason}`, error)
  }
  if (answer.status !== 200) throw refusal(answer.status, answer.body)
  return tokensOf(answer.body)
}
