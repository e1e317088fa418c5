// The bundles `npm run size` measures (scripts/size.ts): each a small module as a consumer would
// write it, importing cognito-edge or a peer by its public name.
export const POOL_ID = 'us-east-1_AbC123'
export const CLIENT_ID = '1example23456789abcdefghij'
export const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${POOL_ID}`
/** cognitoAuth's options in the bundles below: refresh on (its default), no user store. */
const AUTH_OPTIONS = `{ pool: { userPoolId: '${POOL_ID}', clientId: '${CLIENT_ID}' } }`

export interface SizeEntry {
  readonly name: string
  readonly source: string
  /** Whether the bundle makes Admin* (SigV4-signed) Cognito calls: only then may aws4fetch's signer be in it. */
  readonly admin: boolean
  /** Whether it is a Hono app, so its delta over plain Hono means something. */
  readonly hono: boolean
}

const honoApp = (imports: string, use: string) => `import { Hono } from 'hono'
${imports}
const app = new Hono()
${use}
app.get('/api/me', (c) => c.json({ ok: true }))
export default app
`

export const PLAIN_HONO = 'plain Hono'
export const HONO_COGNITO_AUTH = 'Hono + cognitoAuth'
export const VERIFIER_ALONE = 'cognito-edge verifier alone'

export const SIZE_ENTRIES: readonly SizeEntry[] = [
  { name: PLAIN_HONO, admin: false, hono: true, source: honoApp('', '') },
  {
    name: HONO_COGNITO_AUTH,
    admin: false,
    hono: true,
    source: honoApp(`import { cognitoAuth } from 'cognito-edge/hono'`, `app.use('/api/*', cognitoAuth(${AUTH_OPTIONS}))`),
  },
  {
    name: 'Hono + cognitoAuth + d1UserStore',
    admin: false,
    hono: true,
    source: honoApp(
      `import { cognitoAuth } from 'cognito-edge/hono'\nimport { d1UserStore } from 'cognito-edge/d1'`,
      `app.use('/api/*', cognitoAuth((env) => ({ ...${AUTH_OPTIONS}, users: d1UserStore({ database: env.DB }) })))`,
    ),
  },
  {
    name: VERIFIER_ALONE,
    admin: false,
    hono: false,
    source: `import { createCognitoVerifier } from 'cognito-edge'
const verifier = createCognitoVerifier(${AUTH_OPTIONS})
export const verify = (token) => verifier.verify(token)
`,
  },
  {
    // The control row: an Admin call, the one bundle where the SigV4 signer belongs.
    name: 'Admin call (adminGetUser)',
    admin: true,
    hono: false,
    source: `import { adminGetUser, awsSigner, createCognitoClient } from 'cognito-edge'
const signer = awsSigner({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example' })
const cognito = createCognitoClient({ region: 'us-east-1', signer })
export const user = (username) => adminGetUser(cognito, { userPoolId: '${POOL_ID}', username })
`,
  },
  {
    name: 'jose alone',
    admin: false,
    hono: false,
    source: `import { createRemoteJWKSet, jwtVerify } from 'jose'
const jwks = createRemoteJWKSet(new URL('${ISSUER}/.well-known/jwks.json'))
export const verify = async (token) => (await jwtVerify(token, jwks, { issuer: '${ISSUER}', algorithms: ['RS256'] })).payload
`,
  },
  {
    name: 'aws-jwt-verify alone',
    admin: false,
    hono: false,
    source: `import { CognitoJwtVerifier } from 'aws-jwt-verify'
const verifier = CognitoJwtVerifier.create({ userPoolId: '${POOL_ID}', tokenUse: 'access', clientId: '${CLIENT_ID}' })
export const verify = (token) => verifier.verify(token)
`,
  },
  {
    name: 'Hono + hono/jwk',
    admin: false,
    hono: true,
    source: honoApp(
      `import { jwk } from 'hono/jwk'`,
      `app.use('/api/*', jwk({ jwks_uri: '${ISSUER}/.well-known/jwks.json', alg: ['RS256'] }))`,
    ),
  },
  {
    name: 'Hono + jose middleware',
    admin: false,
    hono: true,
    source: honoApp(
      `import { createRemoteJWKSet, jwtVerify } from 'jose'
const jwks = createRemoteJWKSet(new URL('${ISSUER}/.well-known/jwks.json'))`,
      `app.use('/api/*', async (c, next) => {
  const token = c.req.header('authorization')?.replace(/^Bearer /, '')
  if (!token) return c.json({ error: 'unauthorized' }, 401)
  try {
    c.set('claims', (await jwtVerify(token, jwks, { issuer: '${ISSUER}', algorithms: ['RS256'] })).payload)
  } catch {
    return c.json({ error: 'unauthorized' }, 401)
  }
  await next()
})`,
    ),
  },
]
