// Renewal across isolates without workerd's Durable Objects: a namespace that hands out real
// CognitoRenewals instances (one per name), and what a rotating app client answers a renewal.
import { CognitoRenewals, type DurableObjectNamespaceBinding } from '../../src/durable'
import { signingKey } from './auth'
import { accessClaims, idClaims, mint } from './tokens'

/** A state whose storage throws on any use: the object must never touch it. */
export const unusedState = new Proxy(
  {},
  {
    get(_, property) {
      throw new Error(`the object used its state (${String(property)})`)
    },
  },
)

/** A namespace of real CognitoRenewals objects, one per name, recording the names asked for. */
export function renewalsNamespace(): { binding: DurableObjectNamespaceBinding; names: string[] } {
  const objects = new Map<string, CognitoRenewals>()
  const names: string[] = []
  const binding: DurableObjectNamespaceBinding = {
    idFromName(name) {
      names.push(name)
      return name
    },
    get(id: never) {
      const name = id as string
      const object = objects.get(name) ?? new CognitoRenewals(unusedState, {})
      objects.set(name, object)
      return { fetch: (input, init) => object.fetch(new Request(input, init)) }
    },
  }
  return { binding, names }
}

/** Cognito's answer to a renewal by a rotating app client: new tokens (new `jti`s) and a new refresh token. */
export async function rotatedResult(times: { iat?: number; auth_time?: number; exp?: number } = {}) {
  return {
    AuthenticationResult: {
      IdToken: await mint(signingKey, idClaims({ ...times, jti: crypto.randomUUID() })),
      AccessToken: await mint(signingKey, accessClaims({ ...times, jti: crypto.randomUUID() })),
      RefreshToken: `rotated-${crypto.randomUUID()}`,
      ExpiresIn: 3600,
      TokenType: 'Bearer',
    },
  }
}
