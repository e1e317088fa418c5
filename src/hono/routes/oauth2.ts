// Managed login's endpoints, as adapters: /oauth2/login sends the browser to Cognito's hosted UI
// with a fresh transaction in an encrypted cookie; /oauth2/callback checks the state, exchanges the
// code, verifies the tokens and the nonce, and opens the session exactly as a password login in
// cookie mode does; /oauth2/logout ends this browser's session here and at Cognito. Without
// managedLogin they are 404.
import type { Context } from 'hono'
import { authorizeUrl, exchangeAuthorizationCode, isIdentityProviderName, logoutUrl, pkceChallenge } from '../../cognito/oauth2'
import { CognitoAuthError } from '../../errors'
import { type ResolvedCookieOptions, parseCookieHeader, serializeCookie, sessionCookies } from '../../session/cookies'
import { timingSafeEqual } from '../../session/csrf'
import { safeReturnPath } from '../../session/return-path'
import { type Transaction, newTransaction, openTransaction, sealTransaction, transactionKey } from '../../session/transaction'
import { readTokens } from '../../session/transport'
import type { CognitoIdTokenClaims } from '../../token/claims'
import type { ResolvedManagedLogin } from '../settings'
import { errorResponse } from '../challenge'
import { verifyIssued } from '../issued'
import { checkSameSession } from '../verify-session'
import type { RouteHandler } from './context'
import { withErrorPage } from './error-page'
import { endSession } from './session'

/** A code or state longer than this is not Cognito's: refused before any work. */
const MAX_PARAMETER_LENGTH = 2048
/** Cognito's error redirects (RFC 6749 §4.1.2.1): only these names are repeated in a message. */
const AUTHORIZE_ERRORS = new Set([
  'invalid_request',
  'unauthorized_client',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
])

/** Each configuration's cookie key, derived once and kept as plain data (never a promise shared between requests). */
const keys = new WeakMap<ResolvedManagedLogin, CryptoKey>()

async function keyOf(managed: ResolvedManagedLogin): Promise<CryptoKey> {
  let key = keys.get(managed)
  if (key === undefined) {
    key = await transactionKey(managed.cookieSecret)
    keys.set(managed, key)
  }
  return key
}

function transactionCookie(managed: ResolvedManagedLogin, value: string, maxAge: number): string {
  return serializeCookie(managed.cookieName, value, managed.cookie, { maxAge, httpOnly: true })
}

function redirect(c: Context, location: string): Response {
  c.header('cache-control', 'no-store')
  return c.redirect(location, 302)
}

function stateError(message: string): CognitoAuthError {
  return new CognitoAuthError('ERR_COGNITO_OAUTH2_STATE', message)
}

/** What Cognito's error redirect means; its `error_description` is anyone's to write, so it stays in `cause`. */
function redirectedError(error: string, description: string | undefined): CognitoAuthError {
  const cause = { cause: new Error(`${error}: ${description ?? ''}`) }
  if (error === 'access_denied')
    return new CognitoAuthError(
      'ERR_COGNITO_OAUTH2_DENIED',
      'the sign-in was declined at Cognito or its identity provider',
      cause,
    )
  const named = AUTHORIZE_ERRORS.has(error) ? ` (${error})` : ''
  return new CognitoAuthError('ERR_COGNITO_OAUTH2_ERROR', `Cognito could not complete the sign-in${named}; start again`, cause)
}

/**
 * The transaction this browser started, once: missing, tampered, expired, of another sign-in (the
 * state differs, compared in constant time) or already used in this isolate are all 400.
 */
async function spendTransaction(c: Context, managed: ResolvedManagedLogin, now: number): Promise<Transaction> {
  const sealed = parseCookieHeader(c.req.header('cookie') ?? null).get(managed.cookieName)
  if (!sealed) throw stateError('no sign-in is in progress in this browser (its cookie is missing or expired); start again')
  // Single-use: whatever happens next, the cookie goes.
  c.header('set-cookie', transactionCookie(managed, '', 0), { append: true })
  const opened = await openTransaction(await keyOf(managed), sealed, now)
  if (opened.problem === 'expired') throw stateError('the sign-in took too long; start again')
  if (opened.problem) throw stateError('the sign-in cookie is not valid; start again')
  const { transaction } = opened
  const state = c.req.query('state') ?? ''
  if (state.length > MAX_PARAMETER_LENGTH || !timingSafeEqual(state, transaction.state))
    throw stateError("the state does not match this browser's sign-in; start again")
  if ((managed.consumedStates.get(state) ?? 0) > now) throw stateError('this sign-in was already completed; start again')
  managed.consumedStates.set(state, transaction.expiresAt)
  return transaction
}

/** The nonce sent with this sign-in must come back in the ID token (OpenID Connect Core §3.1.3.7, step 11). */
function checkNonce(managed: ResolvedManagedLogin, idClaims: CognitoIdTokenClaims, nonce: string): void {
  const said = idClaims.nonce
  if (said === undefined && managed.unsafeEmulator) return // cognito-local drops the nonce; never allowed against Cognito
  if (typeof said !== 'string' || !timingSafeEqual(said, nonce))
    throw new CognitoAuthError('ERR_COGNITO_NONCE', 'the ID token was not issued for this sign-in (its nonce differs)')
}

const login: RouteHandler = async (c, { edge }) => {
  const managed = edge.managedLogin
  if (!managed) return c.notFound()
  const identityProvider = c.req.query('identity_provider') || managed.identityProvider
  if (identityProvider !== null && !isIdentityProviderName(identityProvider))
    throw new CognitoAuthError('ERR_COGNITO_BAD_REQUEST', 'identity_provider must be a provider name such as Google')
  const returnTo = safeReturnPath(c.req.query('return_to') ?? '/')
  const transaction = newTransaction(returnTo, edge.now(), managed.transactionMaxAgeSeconds)
  const sealed = await sealTransaction(await keyOf(managed), transaction)
  c.header('set-cookie', transactionCookie(managed, sealed, managed.transactionMaxAgeSeconds), { append: true })
  const { domain, clientId, redirectUri, scopes } = managed
  const { state, nonce } = transaction
  const codeChallenge = await pkceChallenge(transaction.codeVerifier)
  return redirect(c, authorizeUrl({ domain, clientId, redirectUri, scopes, state, nonce, codeChallenge, identityProvider }))
}

const callback: RouteHandler = async (c, { edge }) => {
  const managed = edge.managedLogin
  if (!managed) return c.notFound()
  const transaction = await spendTransaction(c, managed, edge.now())
  const error = c.req.query('error')
  if (error !== undefined) throw redirectedError(error, c.req.query('error_description'))
  const code = c.req.query('code')
  if (!code || code.length > MAX_PARAMETER_LENGTH) throw new CognitoAuthError('ERR_COGNITO_BAD_REQUEST', 'code is required')
  const { domain, clientId, clientSecret, redirectUri, fetch, timeoutMs } = managed
  const { codeVerifier } = transaction
  const tokens = await exchangeAuthorizationCode({
    domain,
    clientId,
    clientSecret,
    redirectUri,
    code,
    codeVerifier,
    fetch,
    timeoutMs,
  })
  const { idClaims, accessClaims } = await verifyIssued(edge, tokens.idToken, tokens.accessToken)
  checkNonce(managed, idClaims, transaction.nonce)
  checkSameSession(idClaims, accessClaims)
  // The user row first: a user the store refuses gets no session.
  if (edge.users) await edge.users.resolveUser({ idClaims, accessClaims, accessToken: tokens.accessToken })
  const session = { id: tokens.idToken, access: tokens.accessToken, refresh: tokens.refreshToken }
  for (const cookie of sessionCookies(session, edge.cookies as ResolvedCookieOptions, edge.now()))
    c.header('set-cookie', cookie, { append: true })
  return redirect(c, transaction.returnTo)
}

const logout: RouteHandler = async (c, context) => {
  const managed = context.edge.managedLogin
  if (!managed) return c.notFound()
  const tokens = readTokens(c.req.raw.headers, context.edge.cookies)
  // The browser goes on to Cognito's /logout whatever Cognito answered here: stopping at an error page
  // would leave the hosted UI's own sign-in alive, for the next person at this browser to walk into.
  // A failure still reaches the error hook (its answer is not used) and the app's cookies are cleared.
  // A GET carries no CSRF check, so another site can send it: it ends this browser's session only,
  // never every session of the user (routes.globalSignOut is for the CSRF-checked POST /auth/logout).
  const ended = { idToken: tokens.id, refreshToken: tokens.refresh, accessToken: tokens.access }
  await endSession(c, context, ended, false).catch(async (error: unknown) => {
    if (!(error instanceof CognitoAuthError)) throw error
    await context.edge.onError?.(error, c, errorResponse(error, { realm: context.edge.realm, challenge: false }))
  })
  const { domain, clientId, logoutUri } = managed
  // cognito-local has no /logout; Cognito's ends the hosted UI's own session, so the next sign-in asks again.
  return redirect(c, managed.unsafeEmulator ? logoutUri : logoutUrl({ domain, clientId, logoutUri }))
}

export const oauth2Login: RouteHandler = (c, context) => withErrorPage(c, context, login)
export const oauth2Callback: RouteHandler = (c, context) => withErrorPage(c, context, callback)
export const oauth2Logout: RouteHandler = (c, context) => withErrorPage(c, context, logout)
