// optionsFromEnv: the seed's setting names (django-cognito-redux) read from a Worker's `env`
// into cognito-edge options. A bad or missing setting throws ERR_COGNITO_CONFIG naming it.
import { CognitoAuthError } from './errors'
import { type CognitoVerifierOptions, issuersForPool } from './options'
import type { CookieOptions } from './session/cookies'

export interface AwsCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/** How a token maps onto a stored user (the seed's COGNITO_*_REF_FIELD settings). */
export interface UserLookupSettings {
  /** The claim that identifies the user (`COGNITO_TOKEN_REF_FIELD`). Default `'sub'`. */
  tokenField: string
  /** The column that claim is looked up in (`COGNITO_USER_MODEL_FIELD_REF_FIELD`). Default `'sub'`. */
  userField: string
  /** Columns filled from claims, `{column: claim}` (`COGNITO_USER_FIELD_MAPPING`). Default `{}`. */
  mapping: Readonly<Record<string, string>>
  /** Create a row for an unknown user (`AUTO_CREATE_USER`). Default `false`. */
  autoCreate: boolean
}

/** Everything the seed's settings describe; `cognitoAuth` and `cognitoRoutes` accept it as is. */
export interface CognitoSettings extends CognitoVerifierOptions {
  /** The app client secret (`APP_SECRET_KEY`), for SECRET_HASH. Default none. */
  clientSecret?: string | null
  /** The Cognito API endpoint (`COGNITO_ENDPOINT`). Default `https://cognito-idp.<region>.amazonaws.com/`. */
  endpoint?: string | null
  /** AWS region for the API and SigV4 (`AWS_REGION`). Default: the region of the first pool id. */
  region?: string | null
  /** IAM credentials that sign Cognito calls (`AWS_ACCESS_KEY_ID`, …). Needed for Admin* calls. Default none. */
  credentials?: AwsCredentials | null
  /** Cookie mode and its attributes; `null` keeps tokens out of cookies. Default `null`. */
  cookies?: CookieOptions | null
  /** Double-submit CSRF check on cookie-authenticated unsafe requests (`USE_CSRF`). Default: on in cookie mode. */
  csrf?: boolean
  /** How tokens map onto stored users, for `d1UserStore`. */
  userLookup?: UserLookupSettings
}

type Env = Record<string, unknown>

function configError(message: string): CognitoAuthError {
  return new CognitoAuthError('ERR_COGNITO_CONFIG', message)
}

function text(env: Env, name: string): string | undefined {
  const value = env[name]
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'string') throw configError(`${name} must be a string`)
  return value.trim()
}

function required(env: Env, name: string): string {
  const value = text(env, name)
  if (value === undefined) throw configError(`${name} is required`)
  return value
}

function commaList(value: string, name: string): string[] {
  const items = value.split(',').map((item) => item.trim())
  if (items.some((item) => item === '')) throw configError(`${name} has an empty entry in its comma-separated list`)
  return items
}

/** Reads a boolean setting: true/false, 1/0, yes/no, on/off (any case), or a TOML boolean. */
function flag(env: Env, name: string, fallback: boolean): boolean {
  const value = env[name]
  if (value === undefined || value === null || value === '') return fallback
  if (typeof value === 'boolean') return value
  const normalized = String(value).trim().toLowerCase()
  if (['true', '1', 'yes', 'on'].includes(normalized)) return true
  if (['false', '0', 'no', 'off'].includes(normalized)) return false
  throw configError(`${name} must be true or false, not "${String(value)}"`)
}

function httpUrl(env: Env, name: string): string | undefined {
  const value = text(env, name)
  if (value === undefined) return undefined
  try {
    const url = new URL(value)
    if (url.protocol === 'https:' || url.protocol === 'http:') return value
  } catch {
    // reported below
  }
  throw configError(`${name} must be an absolute http(s) URL`)
}

function mapping(env: Env): Record<string, string> {
  const raw = env.COGNITO_USER_FIELD_MAPPING
  if (raw === undefined || raw === null || raw === '') return {}
  let parsed: unknown = raw
  if (typeof raw === 'string') {
    try {
      parsed = JSON.parse(raw)
    } catch {
      throw configError('COGNITO_USER_FIELD_MAPPING must be a JSON object of {"column": "claim"}')
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw configError('COGNITO_USER_FIELD_MAPPING must be a JSON object of {"column": "claim"}')
  }
  for (const [column, claim] of Object.entries(parsed)) {
    if (typeof claim !== 'string' || claim === '')
      throw configError(`COGNITO_USER_FIELD_MAPPING maps "${column}" to something other than a claim name`)
  }
  return Object.freeze({ ...(parsed as Record<string, string>) })
}

/**
 * Options from a Worker's `env` using the seed's setting names. Call it once per env (the
 * middleware does, and caches the result per env object).
 *
 * @example
 * ```ts
 * const settings = optionsFromEnv(env) // COGNITO_POOL_ID, APP_CLIENT_ID, …
 * const verifier = createCognitoVerifier(settings)
 * ```
 */
export function optionsFromEnv(env: Env): CognitoSettings {
  if (typeof env !== 'object' || env === null) throw configError('env must be the Worker environment object')
  const pools = commaList(required(env, 'COGNITO_POOL_ID'), 'COGNITO_POOL_ID')
  const issuer = httpUrl(env, 'COGNITO_ISSUER')
  const endpoint = httpUrl(env, 'COGNITO_ENDPOINT')
  if (issuer === undefined) {
    for (const pool of pools) {
      try {
        issuersForPool(pool)
      } catch {
        throw configError(`COGNITO_POOL_ID "${pool}" is not a Cognito user pool id like us-east-1_AbC123`)
      }
    }
  } else if (pools.length > 1) {
    throw configError('COGNITO_ISSUER can only be set with a single COGNITO_POOL_ID')
  }
  const accessKeyId = text(env, 'AWS_ACCESS_KEY_ID')
  const secretAccessKey = text(env, 'AWS_SECRET_ACCESS_KEY')
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw configError('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together')
  }
  const sessionToken = text(env, 'AWS_SESSION_TOKEN')
  const cookieMode = flag(env, 'COGNITO_COOKIE_MODE', false)
  const settings: CognitoSettings = {
    userPoolId: pools.length === 1 ? (pools[0] as string) : pools,
    clientId: commaList(required(env, 'APP_CLIENT_ID'), 'APP_CLIENT_ID'),
    clientSecret: text(env, 'APP_SECRET_KEY') ?? null,
    endpoint: endpoint ?? null,
    region: text(env, 'AWS_REGION') ?? null,
    credentials:
      accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : null,
    cookies: cookieMode ? { httpOnly: flag(env, 'HTTP_ONLY_COOKIE', true), secure: flag(env, 'SECURE_COOKIE', true) } : null,
    csrf: flag(env, 'USE_CSRF', cookieMode),
    userLookup: {
      tokenField: text(env, 'COGNITO_TOKEN_REF_FIELD') ?? 'sub',
      userField: text(env, 'COGNITO_USER_MODEL_FIELD_REF_FIELD') ?? 'sub',
      mapping: mapping(env),
      autoCreate: flag(env, 'AUTO_CREATE_USER', false),
    },
  }
  if (issuer !== undefined) {
    settings.issuer = issuer
    // An emulator (cognito-local) serves the key set under its endpoint, whatever its tokens' iss says. Only then:
    // against AWS each issuer keeps its own key set, never fetched through an API endpoint or proxy.
    if (endpoint !== undefined) settings.jwksUri = `${endpoint.replace(/\/+$/, '')}/${pools[0]}/.well-known/jwks.json`
  }
  return settings
}
