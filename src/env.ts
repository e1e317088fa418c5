// optionsFromEnv: the seed's setting names (django-cognito-redux) read from a Worker's `env` into
// cognito-edge settings. A bad or missing setting throws ERR_COGNITO_CONFIG naming it.
import { awsSigner } from './cognito/sigv4'
import { configError, httpUrl, regionOfPool } from './config'
import type { CognitoSettings, ManagedLoginSettings, PoolSettings, RequiredTokens } from './settings'

type Env = Record<string, unknown>

/** How a token maps onto a stored user (the seed's COGNITO_*_REF_FIELD settings), for `d1UserStore`. */
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

function text(env: Env, name: string): string | undefined {
  const value = env[name]
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'string') throw configError(`${name} must be a string`)
  return value.trim() || undefined
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

function urlSetting(env: Env, name: string): string | undefined {
  const value = text(env, name)
  return value === undefined ? undefined : httpUrl(value, name)
}

function mapping(env: Env): Readonly<Record<string, string>> {
  const raw = env.COGNITO_USER_FIELD_MAPPING
  if (raw === undefined || raw === null || raw === '') return {}
  let parsed: unknown = raw
  if (typeof raw === 'string') {
    try {
      parsed = JSON.parse(raw)
    } catch {
      parsed = null
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

const REQUIRED_TOKENS: readonly RequiredTokens[] = ['any', 'access', 'id', 'both']

/** COGNITO_REQUIRED_TOKENS: `both` as the seed required (IDTOKEN and ACCESSTOKEN), `any`, `access` or `id`. */
function requiredTokens(env: Env): RequiredTokens {
  const value = (text(env, 'COGNITO_REQUIRED_TOKENS') ?? 'any').toLowerCase()
  if (!REQUIRED_TOKENS.includes(value as RequiredTokens)) {
    throw configError(`COGNITO_REQUIRED_TOKENS must be one of ${REQUIRED_TOKENS.join(', ')}, not "${value}"`)
  }
  return value as RequiredTokens
}

/** The managed-login settings besides COGNITO_DOMAIN, which turns managed login on: without it they would do nothing. */
const MANAGED_LOGIN_SETTINGS = [
  'COGNITO_REDIRECT_URI',
  'COGNITO_LOGOUT_URI',
  'COGNITO_SCOPES',
  'COGNITO_IDENTITY_PROVIDER',
  'COGNITO_COOKIE_SECRET',
  'COGNITO_UNSAFE_EMULATOR',
] as const

/** Managed login (the hosted UI) when COGNITO_DOMAIN is set, else null. */
function managedLogin(env: Env): ManagedLoginSettings | null {
  const domain = urlSetting(env, 'COGNITO_DOMAIN')
  if (domain === undefined) {
    const orphan = MANAGED_LOGIN_SETTINGS.find((name) => text(env, name) !== undefined)
    if (orphan) throw configError(`${orphan} needs COGNITO_DOMAIN, the domain of the hosted UI`)
    return null
  }
  const cookieSecret = text(env, 'COGNITO_COOKIE_SECRET')
  if (cookieSecret === undefined || new TextEncoder().encode(cookieSecret).length < 32)
    throw configError('COGNITO_COOKIE_SECRET is required with COGNITO_DOMAIN: a secret of at least 32 bytes (put it as a secret)')
  const logoutUri = urlSetting(env, 'COGNITO_LOGOUT_URI')
  const scopes = text(env, 'COGNITO_SCOPES')
  return {
    domain,
    redirectUri: httpUrl(required(env, 'COGNITO_REDIRECT_URI'), 'COGNITO_REDIRECT_URI'),
    ...(logoutUri === undefined ? {} : { logoutUri }),
    ...(scopes === undefined ? {} : { scopes: scopes.split(/[\s,]+/).filter(Boolean) }),
    identityProvider: text(env, 'COGNITO_IDENTITY_PROVIDER') ?? null,
    cookieSecret,
    unsafeEmulator: flag(env, 'COGNITO_UNSAFE_EMULATOR', false),
  }
}

function checkEnv(env: unknown): asserts env is Env {
  if (typeof env !== 'object' || env === null) throw configError('env must be the Worker environment object')
}

function pool(env: Env): PoolSettings {
  const pools = commaList(required(env, 'COGNITO_POOL_ID'), 'COGNITO_POOL_ID')
  const issuer = urlSetting(env, 'COGNITO_ISSUER')
  const endpoint = urlSetting(env, 'COGNITO_ENDPOINT')
  if (issuer === undefined) {
    const bad = pools.find((id) => regionOfPool(id) === null)
    if (bad !== undefined) throw configError(`COGNITO_POOL_ID "${bad}" is not a Cognito user pool id like us-east-1_AbC123`)
  } else if (pools.length > 1) {
    throw configError('COGNITO_ISSUER can only be set with a single COGNITO_POOL_ID')
  }
  const settings: PoolSettings = {
    userPoolId: pools.length === 1 ? (pools[0] as string) : pools,
    clientId: commaList(required(env, 'APP_CLIENT_ID'), 'APP_CLIENT_ID'),
  }
  if (issuer === undefined) return settings
  // An emulator (cognito-local) serves the key set under its endpoint, whatever its tokens' iss says. Only
  // then: against AWS each issuer keeps its own key set, never fetched through an API endpoint or proxy.
  const jwksUri = endpoint === undefined ? {} : { jwksUri: `${endpoint.replace(/\/+$/, '')}/${pools[0]}/.well-known/jwks.json` }
  return { ...settings, issuer, ...jwksUri }
}

/** How `optionsFromEnv` treats the user-table settings. */
export interface EnvOptions {
  /**
   * `'in code'`: the app builds its user store itself (a `d1UserStore` over its own table, with
   * `userLookupFromEnv(env)`), so the user-table settings are its business. Default: they need
   * `settingsFromEnv` from `cognito-edge/d1`, and set here they fail rather than be ignored.
   */
  users?: 'in code'
}

/**
 * Settings from a Worker's `env` using the seed's setting names. Pass the function itself to take
 * every setting from env — it is called once per env object. Nothing set is ignored: the user-table
 * settings (COGNITO_USERS_D1, AUTO_CREATE_USER, …) are read by `settingsFromEnv` (cognito-edge/d1).
 *
 * @example
 * ```ts
 * const edge = createCognitoEdge(optionsFromEnv) // COGNITO_POOL_ID, APP_CLIENT_ID, …
 * const verifier = createCognitoVerifier(optionsFromEnv(env).pool)
 * ```
 */
export function optionsFromEnv(env: object, options: EnvOptions = {}): CognitoSettings {
  checkEnv(env)
  if (options.users !== undefined && options.users !== 'in code') throw configError('optionsFromEnv: users must be "in code"')
  // Never ignored: the user store and the revocation list need drizzle, the coordinator its Durable Object
  // client, which only settingsFromEnv (cognito-edge/d1) brings.
  for (const [name, what] of BUILT_BY_SETTINGS_FROM_ENV) {
    if (text(env, name) !== undefined)
      throw configError(`${name} is set: read env with settingsFromEnv from cognito-edge/d1, which builds the ${what}`)
  }
  const userSetting = USER_TABLE_SETTINGS.find((name) => text(env, name) !== undefined)
  if (userSetting !== undefined && options.users !== 'in code') {
    throw configError(
      `${userSetting} is set: read env with settingsFromEnv from cognito-edge/d1, which builds the user store` +
        " (or pass { users: 'in code' } and build it with userLookupFromEnv)",
    )
  }
  return settingsOf(env)
}

/** Settings naming bindings that only settingsFromEnv turns into objects. */
const BUILT_BY_SETTINGS_FROM_ENV = [
  ['COGNITO_USERS_D1', 'user store'],
  ['COGNITO_REVOCATIONS_D1', 'revocation list'],
  ['COGNITO_RENEWAL_DO', 'renewal coordinator'],
] as const

/** The settings env describes, the user table aside. @internal (cognito-edge/d1 adds the store) */
export function settingsOf(env: object): CognitoSettings {
  checkEnv(env)
  const accessKeyId = text(env, 'AWS_ACCESS_KEY_ID')
  const secretAccessKey = text(env, 'AWS_SECRET_ACCESS_KEY')
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw configError('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together')
  }
  const sessionToken = text(env, 'AWS_SESSION_TOKEN')
  const cookieMode = flag(env, 'COGNITO_COOKIE_MODE', false)
  const secure = flag(env, 'SECURE_COOKIE', true)
  const httpOnly = flag(env, 'HTTP_ONLY_COOKIE', true)
  const region = text(env, 'AWS_REGION') ?? text(env, 'AWS_DEFAULT_REGION') ?? null
  const endpoint = urlSetting(env, 'COGNITO_ENDPOINT') ?? null
  const hostedUi = managedLogin(env)
  return {
    pool: pool(env),
    cognito: {
      region,
      endpoint,
      clientSecret: text(env, 'APP_SECRET_KEY') ?? null,
      signer:
        accessKeyId && secretAccessKey
          ? awsSigner({ accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) })
          : null,
    },
    cookies: cookieMode ? { httpOnly, secure } : null,
    // SECURE_COOKIE and HTTP_ONLY_COOKIE apply to every cookie the library sets, the csrftoken one included.
    csrf: { check: flag(env, 'USE_CSRF', cookieMode), secure, httpOnly },
    auth: { require: requiredTokens(env) },
    ...(hostedUi === null ? {} : { managedLogin: hostedUi }),
  }
}

/** The settings that describe the user table; they need COGNITO_USERS_D1 to take effect through settingsFromEnv. */
export const USER_TABLE_SETTINGS = [
  'COGNITO_TOKEN_REF_FIELD',
  'COGNITO_USER_MODEL_FIELD_REF_FIELD',
  'COGNITO_USER_FIELD_MAPPING',
  'AUTO_CREATE_USER',
] as const

/** The seed's user settings from env (`COGNITO_TOKEN_REF_FIELD`, …, `AUTO_CREATE_USER`), for `d1UserStore`. */
export function userLookupFromEnv(env: object): UserLookupSettings {
  checkEnv(env)
  return {
    tokenField: text(env, 'COGNITO_TOKEN_REF_FIELD') ?? 'sub',
    userField: text(env, 'COGNITO_USER_MODEL_FIELD_REF_FIELD') ?? 'sub',
    mapping: mapping(env),
    autoCreate: flag(env, 'AUTO_CREATE_USER', false),
  }
}
