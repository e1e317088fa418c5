// What the end-to-end files share: the stack's addresses, HTTP helpers, direct emulator calls.
import { inject } from 'vitest'
import { cognitoCall } from '../../scripts/local-cognito.ts'
import { queryLocalD1 } from '../../scripts/stack.ts'

export const stack = inject('stack')

export interface SignIn {
  AccessToken: string
  IdToken: string
  RefreshToken: string
}

/** The CSRF pair the demo expects on cookie endpoints: any value, as long as cookie and header agree. */
export const csrf = { cookie: 'csrftoken=e2e-csrf', header: { CsrfToken: 'e2e-csrf' } }

export async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${stack.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: csrf.cookie, ...csrf.header, ...headers },
    body: JSON.stringify(body),
  })
}

/** Signs in through the demo's /auth/login: a cookie session (its tokens stay in HttpOnly cookies). */
export async function loginSession(username: string, password: string): Promise<string> {
  const res = await post('/auth/login', { username, password })
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`)
  return [...res.headers.getSetCookie().map((cookie) => cookie.split(';')[0]), csrf.cookie].join('; ')
}

/** Tokens for header sessions: signed in at the emulator with the demo's public client. */
export function login(username: string, password: string): Promise<SignIn> {
  return loginWithClient(stack.clients.public.id, username, password)
}

/** Signs in straight at the emulator with a given app client (e.g. the short-lived one). */
export async function loginWithClient(clientId: string, username: string, password: string): Promise<SignIn> {
  const answer = await cognitoCall(stack.endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  })
  return answer.AuthenticationResult as SignIn
}

export const emulator = (operation: string, body: object) => cognitoCall(stack.endpoint, operation, body)
export const d1 = (sql: string) => queryLocalD1(stack.persistTo, sql)
