// SECRET_HASH for app clients with a secret: Base64(HMAC-SHA256(key = client secret, message =
// username + client id)), with Web Crypto. The username is Cognito's `username`
// (`cognito:username` in ID tokens, `username` in access tokens), never the email.

const utf8 = new TextEncoder()
/** Imported keys per secret (plain data, never a promise: see DESIGN.md on Workers). */
const keys = new Map<string, CryptoKey>()

async function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret)
  if (!key) {
    key = await crypto.subtle.importKey('raw', utf8.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    if (keys.size < 16) keys.set(secret, key)
  }
  return key
}

/**
 * The SECRET_HASH Cognito expects from clients with a secret.
 *
 * @example
 * ```ts
 * const hash = await secretHash('s3cr3t', 'alice@example.com', '1example23456789abcdefghij')
 * // '2ha83cJKOY6MbkJ5wKngc0J3uENmijnCI7Qy/NAkAC8='
 * ```
 */
export async function secretHash(clientSecret: string, username: string, clientId: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(clientSecret), utf8.encode(username + clientId)))
  let binary = ''
  for (const byte of mac) binary += String.fromCharCode(byte)
  return btoa(binary)
}
