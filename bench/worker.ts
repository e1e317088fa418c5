// The benchmark Worker, run in workerd by bench/run.ts. It mints Cognito-shaped RS256-2048 tokens
// once, then runs one implementation over all of them per request; timing happens outside the
// isolate because workerd's clock does not advance during CPU work.
import { CognitoJwtVerifier } from 'aws-jwt-verify'
import { Hono } from 'hono'
import { jwk } from 'hono/jwk'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { type RevocationSubject, createCognitoVerifier } from '../src'
import { d1Revocations } from '../src/d1'
import { cognitoAuth } from '../src/hono'
import { decodeBase64Url } from '../src/token/base64url'
import { jwksOf, rsaKey } from '../test/helpers/keys'
import { CLIENT_ID, ISSUER, POOL_ID, accessClaims, idClaims, mint } from '../test/helpers/tokens'

interface Fixture {
  ids: string[]
  accesses: string[]
  jwks: { keys: JsonWebKey[] }
  key: CryptoKey
  kid: string
  /** Pre-decoded signing inputs and signatures, for the bare crypto.subtle.verify cost. */
  decoded: { input: Uint8Array<ArrayBuffer>; signature: Uint8Array<ArrayBuffer> }[]
}

let fixture: Fixture | null = null
const ascii = new TextEncoder()
const utf8 = new TextDecoder()

async function setup(count: number): Promise<Fixture> {
  const signing = await rsaKey('bench-key')
  const now = Math.floor(Date.now() / 1000)
  const times = { iat: now - 10, auth_time: now - 10, exp: now + 3600 }
  const ids: string[] = []
  const accesses: string[] = []
  for (let i = 0; i < count; i++) {
    const sub = crypto.randomUUID()
    ids.push(await mint(signing, idClaims({ ...times, sub, jti: crypto.randomUUID() })))
    accesses.push(await mint(signing, accessClaims({ ...times, sub, jti: crypto.randomUUID() })))
  }
  const jwks = jwksOf(signing)
  const key = await crypto.subtle.importKey('jwk', signing.jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify'])
  const decoded = ids.map((token) => {
    const last = token.lastIndexOf('.')
    return {
      input: ascii.encode(token.slice(0, last)) as Uint8Array<ArrayBuffer>,
      signature: decodeBase64Url(token.slice(last + 1)),
    }
  })
  return { ids, accesses, jwks, key, kid: signing.kid, decoded }
}

/** Floor A: base64url + JSON.parse + kid lookup + crypto.subtle.verify with a pre-imported key. */
async function floor(token: string, keys: Map<string, CryptoKey>): Promise<boolean> {
  const [h, p, s] = token.split('.') as [string, string, string]
  const header = JSON.parse(utf8.decode(decodeBase64Url(h))) as { kid: string }
  JSON.parse(utf8.decode(decodeBase64Url(p)))
  const key = keys.get(header.kid) as CryptoKey
  return crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, decodeBase64Url(s), ascii.encode(`${h}.${p}`))
}

function implementations(f: Fixture): Record<string, (token: string, index: number) => Promise<unknown>> {
  const keys = new Map([[f.kid, f.key]])
  const firstSight = createCognitoVerifier({ userPoolId: POOL_ID, clientId: CLIENT_ID, jwks: f.jwks, verifiedCacheSize: 0 })
  const repeat = createCognitoVerifier({
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    jwks: f.jwks,
    verifiedCacheSize: f.ids.length,
  })
  const localSet = createLocalJWKSet(f.jwks as never)
  const aws = CognitoJwtVerifier.create({ userPoolId: POOL_ID, clientId: CLIENT_ID, tokenUse: 'id' })
  aws.cacheJwks(f.jwks as never)
  return {
    noop: async () => true,
    bare: (_token, i) => crypto.subtle.verify('RSASSA-PKCS1-v1_5', f.key, f.decoded[i]!.signature, f.decoded[i]!.input),
    floor: (token) => floor(token, keys),
    jose: (token) => jwtVerify(token, localSet, { algorithms: ['RS256'], issuer: ISSUER, audience: CLIENT_ID }),
    'aws-jwt-verify': (token) => aws.verify(token),
    'ours-first-sight': (token) => firstSight.verify(token, { tokenUse: 'id' }),
    'ours-repeat': (token) => repeat.verify(token, { tokenUse: 'id' }),
  }
}

let impls: ReturnType<typeof implementations> | null = null

/** Reads of the revocation list this isolate made (what `d1Revocations` costs D1). */
let revocationReads = 0

/** The D1 binding as the list sees it, its reads of cognito_revocations counted. */
function counted(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, property) {
      if (property === 'prepare')
        return (sql: string) => {
          if (/^select\b.*\bfrom "cognito_revocations"/is.test(sql)) revocationReads++
          return target.prepare(sql)
        }
      const value: unknown = Reflect.get(target, property)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

function apps(f: Fixture, env: Env) {
  const pool = { userPoolId: POOL_ID, clientId: CLIENT_ID, jwks: f.jwks }
  const auth = { require: 'both' as const }
  const ok = (c: { text: (body: string) => Response }) => c.text('ok')
  const bare = new Hono().get('/', ok)
  const seen = new Hono().use(cognitoAuth({ pool, auth })).get('/', ok)
  // The same, with the revocation list on (its defaults: maxStaleness 10 s, fail-closed) over a list of revoked sign-ins.
  const revocations = d1Revocations({ database: counted(env.DB) })
  const seenRevocations = new Hono().use(cognitoAuth({ pool, auth, revocations })).get('/', ok)
  const first = new Hono().use(cognitoAuth({ pool: { ...pool, verifiedCacheSize: 0 }, auth })).get('/', ok)
  const honoJwk = new Hono()
    .use(jwk({ keys: f.jwks.keys as never, alg: ['RS256'] }))
    .use(jwk({ keys: f.jwks.keys as never, alg: ['RS256'], headerName: 'x-id-token' }))
    .get('/', ok)
  // Reference: a handler that verifies both tokens itself, no middleware: what the runtime charges
  // for two signature checks inside a request, beyond the raw loop that gives floor A.
  const direct = createCognitoVerifier({ userPoolId: POOL_ID, clientId: CLIENT_ID, jwks: f.jwks, verifiedCacheSize: 0 })
  const handlerOnly = new Hono().get('/', async (c) => {
    await direct.verify(c.req.raw.headers.get('IDTOKEN') ?? '', { tokenUse: 'id' })
    await direct.verify(c.req.raw.headers.get('ACCESSTOKEN') ?? '', { tokenUse: 'access' })
    return c.text('ok')
  })
  list = revocations
  return {
    bare,
    'ours-seen': seen,
    'ours-seen-revocations': seenRevocations,
    'ours-first-sight': first,
    'hono-jwk': honoJwk,
    'verify-in-handler': handlerOnly,
  }
}

let appsByName: ReturnType<typeof apps> | null = null
/** The list ours-seen-revocations consults, and the verified claims of its token pair: what its check costs alone. */
let list: ReturnType<typeof d1Revocations> | null = null
let subject: RevocationSubject | null = null

/** The same token pair sizes for every variant; "seen" repeats the first pair, the others walk all pairs. */
function headersFor(variant: string, i: number, f: Fixture): Record<string, string> {
  const index = variant.startsWith('ours-seen') ? 0 : i
  const id = f.ids[index] as string
  const access = f.accesses[index] as string
  if (variant === 'hono-jwk') return { authorization: `Bearer ${access}`, 'x-id-token': `Bearer ${id}` }
  return { IDTOKEN: id, ACCESSTOKEN: access }
}

interface Env {
  DB: D1Database
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url)
    if (url.pathname === '/setup') {
      fixture = await setup(Number(url.searchParams.get('count') ?? 1000))
      impls = implementations(fixture)
      appsByName = apps(fixture, env)
      // Warm every implementation once (key imports, JIT) before anything is timed.
      for (const run of Object.values(impls)) await run(fixture.ids[0] as string, 0)
      const verifier = createCognitoVerifier({ userPoolId: POOL_ID, clientId: CLIENT_ID, jwks: fixture.jwks })
      subject = {
        idClaims: (await verifier.verify(fixture.ids[0] as string, { tokenUse: 'id' })) as RevocationSubject['idClaims'],
        accessClaims: (await verifier.verify(fixture.accesses[0] as string, {
          tokenUse: 'access',
        })) as RevocationSubject['accessClaims'],
      }
      return Response.json({ tokens: fixture.ids.length })
    }
    if (url.pathname === '/verify') {
      const run = impls?.[url.searchParams.get('impl') ?? '']
      if (!fixture || !run) return new Response('unknown implementation', { status: 404 })
      let failures = 0
      for (let i = 0; i < fixture.ids.length; i++) {
        try {
          if ((await run(fixture.ids[i] as string, i)) === false) failures++
        } catch {
          failures++
        }
      }
      // A failure makes the round fail (bench/run.ts exits non-zero): a verifier that refuses everything must not look fast.
      return Response.json({ verified: fixture.ids.length - failures, failures }, { status: failures === 0 ? 200 : 500 })
    }
    if (url.pathname === '/requests') {
      const variant = url.searchParams.get('variant') ?? ''
      const app = appsByName?.[variant as keyof ReturnType<typeof apps>]
      if (!fixture || !app) return new Response('unknown variant', { status: 404 })
      // `repeat` walks the token pairs several times: more requests per sample for finer differences.
      const repeat = Number(url.searchParams.get('repeat') ?? 1)
      let failures = 0
      for (let i = 0; i < fixture.ids.length * repeat; i++) {
        const pair = i % fixture.ids.length
        const res = await app.fetch(new Request('https://bench.local/', { headers: headersFor(variant, pair, fixture) }))
        if (res.status !== 200) failures++
        await res.text()
      }
      const requests = fixture.ids.length * repeat
      return Response.json({ requests, failures }, { status: failures === 0 ? 200 : 500 })
    }
    if (url.pathname === '/revocation-reads') return Response.json({ reads: revocationReads })
    if (url.pathname === '/revocation-checks') {
      // The list's own work on a warm request — its check of the verified claims — `count` times, or
      // (check=0) the same loop without it; timed from outside, since a Worker's clock stands still.
      if (!list || !subject) return new Response('no setup', { status: 404 })
      const count = Number(url.searchParams.get('count') ?? 1_000_000)
      const check = url.searchParams.get('check') !== '0'
      let answered = 0
      for (let i = 0; i < count; i++) {
        const pending = check ? list.check(subject) : undefined
        if (pending) await pending
        answered++
      }
      return Response.json({ answered })
    }
    return new Response('not found', { status: 404 })
  },
}
