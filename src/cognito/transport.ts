// The only module that talks to Cognito: its JSON API (POST /, X-Amz-Target, x-amz-json-1.1),
// signed when a signer is configured, bounded in time and in body size, retried only on throttling
// and 5xx, and every failure turned into a CognitoAuthError (a CognitoServiceError when Cognito said no).
import { BodyTooLarge, readBoundedText } from '../bounded-read'
import {
  configError,
  fetchOption,
  functionOption,
  httpUrl,
  nonEmpty,
  region as regionOption,
  REGION,
  wholeNumber,
} from '../config'
import { DeadlineExceeded, withDeadline } from '../deadline'
import { CognitoAuthError } from '../errors'
import { secretHash } from './secret-hash'
import { type CognitoServiceError, serviceError } from './service-error'

/** Signs Cognito requests (SigV4): made by `awsSigner(credentials)`. Admin* and IAM-authorized calls need one. */
export interface RequestSigner {
  /** The headers to send with a POST of `body` to `url`, signed for `region`. */
  sign(request: { url: string; region: string; headers: Record<string, string>; body: string }): Promise<Headers>
}

export interface CognitoClientOptions {
  /** AWS region of the user pool, e.g. `us-east-1`. Required. */
  region: string
  /** The app client that sign-in, sign-up and password operations use. Default none (admin-only clients need none). */
  clientId?: string | null
  /** That app client's secret, for SECRET_HASH (`APP_SECRET_KEY`). Default none (a public client). */
  clientSecret?: string | null
  /** Signs every call (SigV4); `Admin*` calls need it. Default none: `awsSigner({ accessKeyId, secretAccessKey })` makes one. */
  signer?: RequestSigner | null
  /** The API endpoint for every region. Default `https://cognito-idp.<region>.amazonaws.com/`; cognito-local: `http://127.0.0.1:9229`. */
  endpoint?: string | null
  /** The fetch used for calls. Default: the global `fetch`. */
  fetch?: typeof fetch
  /** Milliseconds before one attempt is abandoned. Default `5000`. */
  timeoutMs?: number
  /** Extra attempts after throttling or a 5xx answer, 0–2. Default `1`. */
  retries?: number
}

/** Per-call settings. */
export interface CognitoCallOptions {
  /**
   * The region of the pool the call is about (a session of an eu-west-1 pool is renewed there).
   * Default: the client's `region`. It picks the default endpoint and the SigV4 scope; an explicit
   * `endpoint` (an emulator, a proxy) is used for every region.
   */
  region?: string | null
}

export interface CognitoClient {
  /** Calls `AWSCognitoIdentityProviderService.<operation>`; resolves with the answer, a JSON object. */
  call<T = Record<string, unknown>>(operation: string, body: Record<string, unknown>, options?: CognitoCallOptions): Promise<T>
  /** The default region. */
  readonly region: string
  /** Whether calls are signed (Admin* calls possible). */
  readonly signed: boolean
  /** The app client of the public operations, or null. */
  readonly clientId: string | null
  /** SECRET_HASH of `username` for `clientId` (default: the client's), or null when that app client has no secret here. */
  secretHash(username: string, clientId?: string): Promise<string | null>
  /** The secret of `clientId`, for the operations that take it whole (RevokeToken, GetTokensFromRefreshToken), or null. */
  clientSecretFor(clientId: string): string | null
  /** The longest one call can take: every attempt timing out, plus the waits between them. */
  readonly maxCallMs: number
}

/** Operations AWS authorizes with IAM, beyond the Admin* ones (which all are). */
const IAM_OPERATIONS = new Set([
  'ListUsers',
  'ListUsersInGroup',
  'ListGroups',
  'GetGroup',
  'CreateGroup',
  'DeleteGroup',
  'DescribeUserPool',
  'DescribeUserPoolClient',
])

const MAX_RESPONSE_BYTES = 1024 * 1024
const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.'
const OPTIONS = ['region', 'clientId', 'clientSecret', 'signer', 'endpoint', 'fetch', 'timeoutMs', 'retries']

/** The body, read up to MAX_RESPONSE_BYTES: an oversized answer is refused, never read to its end. */
async function readAnswer(response: Response, operation: string): Promise<string> {
  try {
    return await readBoundedText(response, MAX_RESPONSE_BYTES)
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      throw new CognitoAuthError('ERR_COGNITO_UNAVAILABLE', `Cognito ${operation} answered with an oversized body`)
    }
    throw error // a broken connection or invalid UTF-8: reported as unreachable by the caller
  }
}

function jsonObject(text: string, operation: string): Record<string, unknown> {
  let answer: unknown
  try {
    answer = JSON.parse(text)
  } catch {
    answer = undefined // an HTML page from a proxy, say
  }
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
    throw new CognitoAuthError('ERR_COGNITO_UNAVAILABLE', `Cognito ${operation} answered with something other than a JSON object`)
  }
  return answer as Record<string, unknown>
}

/**
 * A client for the Cognito user-pool API.
 *
 * @example
 * ```ts
 * const cognito = createCognitoClient({ region: 'us-east-1', clientId: '1example23456789abcdefghij' })
 * const answer = await signIn(cognito, { username: 'alice', password: 'correct horse' })
 * ```
 */
export function createCognitoClient(options: CognitoClientOptions): CognitoClient {
  checkClientOptions(options)
  const defaultRegion = regionOption(options.region, 'region')
  const endpoint = options.endpoint == null ? null : httpUrl(options.endpoint, 'endpoint')
  const clientId = options.clientId == null ? null : nonEmpty(options.clientId, 'clientId')
  const clientSecret = options.clientSecret == null ? null : nonEmpty(options.clientSecret, 'clientSecret')
  if (clientSecret !== null && clientId === null) throw configError('clientSecret needs the clientId it belongs to')
  const signer = options.signer ?? null
  if (signer !== null && typeof signer.sign !== 'function') throw configError('signer must be made by awsSigner(credentials)')
  const retries = wholeNumber(options.retries, 1, 'retries', 0, 2)
  const timeoutMs = options.timeoutMs ?? 5000
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw configError('timeoutMs must be a number > 0')
  const send = fetchOption(options.fetch)

  async function request(operation: string, body: string, region: string, signal: AbortSignal): Promise<Request> {
    const url = endpoint ?? `https://cognito-idp.${region}.amazonaws.com/`
    const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': TARGET_PREFIX + operation }
    const sent = signer ? await signer.sign({ url, region, headers, body }) : headers
    return new Request(url, { method: 'POST', headers: sent, body, signal })
  }

  async function attempt<T>(operation: string, body: string, region: string): Promise<T> {
    try {
      return await withDeadline(timeoutMs, async (signal) => {
        const response = await send(await request(operation, body, region, signal))
        const text = await readAnswer(response, operation)
        if (!response.ok) throw serviceError(operation, response.status, response.headers, text)
        return jsonObject(text, operation) as T
      })
    } catch (error) {
      if (error instanceof CognitoAuthError) throw error
      const reason = error instanceof DeadlineExceeded ? `timed out after ${timeoutMs} ms` : 'could not be reached'
      throw new CognitoAuthError('ERR_COGNITO_UNAVAILABLE', `Cognito ${operation} ${reason}`, { cause: error })
    }
  }

  return Object.freeze({
    region: defaultRegion,
    signed: signer !== null,
    clientId,
    maxCallMs: (timeoutMs + 100) * (retries + 1),
    async secretHash(username: string, forClient: string | undefined = clientId ?? undefined): Promise<string | null> {
      return clientSecret !== null && forClient === clientId ? secretHash(clientSecret, username, forClient) : null
    },
    clientSecretFor(forClient: string): string | null {
      return forClient === clientId ? clientSecret : null
    },
    async call<T>(operation: string, input: Record<string, unknown>, callOptions?: CognitoCallOptions): Promise<T> {
      if ((operation.startsWith('Admin') || IAM_OPERATIONS.has(operation)) && !signer) {
        throw new CognitoAuthError(
          'ERR_COGNITO_CREDENTIALS_MISSING',
          `${operation} needs AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`,
        )
      }
      const region = callOptions?.region ?? defaultRegion
      if (!REGION.test(region))
        throw new CognitoAuthError('ERR_COGNITO_INVALID_PARAMETER', `region "${region}" is not an AWS region`)
      const body = JSON.stringify(input)
      for (let tries = 0; ; tries++) {
        try {
          return await attempt<T>(operation, body, region)
        } catch (error) {
          if (tries >= retries || !(error as Partial<CognitoServiceError>).retryable) throw error
          await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** tries + Math.random() * 25))
        }
      }
    },
  })
}

function checkClientOptions(options: CognitoClientOptions): void {
  if (typeof options !== 'object' || options === null) throw configError('Cognito client options must be an object')
  for (const key of Object.keys(options)) {
    if (!OPTIONS.includes(key)) throw configError(`Cognito client options have no "${key}" (known: ${OPTIONS.join(', ')})`)
  }
  functionOption(options.fetch, 'fetch')
}

/** The app client of a public operation; a client made without `clientId` cannot make one. */
export function appClientOf(cognito: CognitoClient, operation: string): { clientId: string } {
  if (cognito.clientId === null) throw configError(`${operation} needs a Cognito client made with clientId (APP_CLIENT_ID)`)
  return { clientId: cognito.clientId }
}
