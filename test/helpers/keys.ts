// Local signing keys for tests, made with Web Crypto so they work in workerd and in Node alike.

export interface TestKey {
  readonly kid: string
  readonly privateKey: CryptoKey
  /** The public JWK as a Cognito key set would publish it. */
  readonly jwk: JsonWebKey & { kid: string; alg: string; use: string }
}

const RS256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const

export async function rsaKey(kid: string, modulusLength = 2048): Promise<TestKey> {
  const pair = (await crypto.subtle.generateKey({ ...RS256, modulusLength, publicExponent: new Uint8Array([1, 0, 1]) }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair
  const { kty, n, e } = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JsonWebKey
  return {
    kid,
    privateKey: pair.privateKey,
    jwk: { kty: kty as string, n: n as string, e: e as string, kid, alg: 'RS256', use: 'sig' },
  }
}

export function jwksOf(...keys: TestKey[]): { keys: JsonWebKey[] } {
  return { keys: keys.map((key) => key.jwk) }
}
