// The only module that talks to Cognito: its JSON API (POST /, X-Amz-Target, x-amz-json-1.1),
// signed with SigV4 by aws4fetch when credentials are configured, bounded in time, retried only
// on throttling and 5xx, and every failure turned into a CognitoAuthError.
import { AwsV4Signer } from 'aws4fetch'
import { BodyTooLarge, readBoundedText } from '../bounded-read'
import { DeadlineExceeded, withDeadline } from '../deadline'
import { CognitoAuthError, type CognitoErrorCode } from '../errors'
import { regionOfPool } from '../options'
import type { AwsCredentials, CognitoSettings } from '../settings'

export interface CognitoClientOptions {
  /** AWS region of the user pool, e.g. `us-east-1`. Required. */
  region: string
  /** The API endpoint. Default `https://cognito-idp.<region>.amazonaws.com/`; cognito-local: `http://127.0.0.1:9229`. */
  endpoint?: string | null
  /** IAM credentials; with them every call is SigV4-signed, and `Admin*` calls need them. Default none. */
  credentials?: AwsCredentials | null
  /** The fetch used for calls. Default: the global `fetch`. */
  fetch?: typeof fetch
  /** Milliseconds before a call is abandoned (each attempt). Default `5000`. */
  timeoutMs?: number
  /** Extra attempts after throttling or a 5xx answer, 0–2. Default `1`. */
  retries?: number
}

/** Per-call settings. */
export interface CognitoCallOptions {
  /**
   * The region of the pool the call is about (a session of an eu-west-1 pool is renewed in eu-west-1).
   * Default: the client's `region`. It picks the default endpoint and the SigV4 scope; an explicit
   * `endpoint` (an emulator, a proxy) is used for every region.
   */
  region?: string | null
}

export interface CognitoClient {
  /** Calls `AWSCognitoIdentityProviderService.<operation>`; resolves with the parsed JSON answer. */
  call<T = Record<string, unknown>>(operation: string, body: Record<string, unknown>, options?: CognitoCallOptions): Promise<T>
  /** The default region. */
  readonly region: string
  readonly signed: boolean
  /** The longest one call can take: every attempt timing out, plus the waits between them. */
  readonly maxCallMs: number
}

/** Cognito's exception names and the codes they become. Unlisted ones are ERR_COGNITO_REQUEST_FAILED. */
const EXCEPTIONS: Record<string, CognitoErrorCode> = {
  NotAuthorizedException: 'ERR_COGNITO_NOT_AUTHORIZED',
  UserNotFoundException: 'ERR_COGNITO_NO_SUCH_USER',
  UsernameExistsException: 'ERR_COGNITO_USER_EXISTS',
  AliasExistsException: 'ERR_COGNITO_USER_EXISTS',
  UserNotConfirmedException: 'ERR_COGNITO_USER_NOT_CONFIRMED',
  PasswordResetRequiredException: 'ERR_COGNITO_PASSWORD_RESET_REQUIRED',
  CodeMismatchException: 'ERR_COGNITO_CODE_MISMATCH',
  ExpiredCodeException: 'ERR_COGNITO_CODE_EXPIRED',
  InvalidPasswordException: 'ERR_COGNITO_INVALID_PASSWORD',
  InvalidParameterException: 'ERR_COGNITO_INVALID_PARAMETER',
  ResourceNotFoundException: 'ERR_COGNITO_RESOURCE_NOT_FOUND',
  TooManyRequestsException: 'ERR_COGNITO_THROTTLED',
  LimitExceededException: 'ERR_COGNITO_THROTTLED',
  TooManyFailedAttemptsException: 'ERR_COGNITO_THROTTLED',
  InternalErrorException: 'ERR_COGNITO_UNAVAILABLE',
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

/** The body, read up to MAX_RESPONSE_BYTES: an oversized answer is refused, never read to its end. */
async function readAnswer(response: Response, operation: string): Promise<string> {
  try {
    return await readBoundedText(response, MAX_RESPONSE_BYTES)
  } catch (error) {
    if (error instanceof BodyTooLarge)
      throw new CognitoAuthError('ERR_COGNITO_UNAVAILABLE', `Cognito ${operation} answered with an oversized body`)
    throw error // a broken connection: reported as unreachable by the caller
  }
}

/** JSON text as a value; anything unparsable (an HTML page from a proxy) becomes `undefined`. */
function parseAnswer(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Cognito's error info from a failed answer; the `__type` may carry a namespace (`…#Name`). */
async function serviceError(response: Response, operation: string): Promise<CognitoAuthError> {
  const text = await readAnswer(response, operation).catch(() => '')
  let type = response.headers.get('x-amzn-errortype')?.split(':')[0] ?? ''
  let message = ''
  try {
    const body = JSON.parse(text) as { __type?: unknown; message?: unknown; Message?: unknown }
    if (typeof body.__type === 'string') type = body.__type
    const said = body.message ?? body.Message
    if (typeof said === 'string') message = said
  } catch {
    // not JSON: the status decides
  }
  type = type.slice(type.lastIndexOf('#') + 1)
  const code = EXCEPTIONS[type] ?? (response.status >= 500 ? 'ERR_COGNITO_UNAVAILABLE' : 'ERR_COGNITO_REQUEST_FAILED')
  const cause = { operation, status: response.status, type: type || null, message }
  const error = new CognitoAuthError(code, message || `Cognito ${operation} failed with ${response.status}`, { cause })
  if (response.status >= 500 || type === 'TooManyRequestsException') retryable.add(error)
  return error
}

/** Failures worth another attempt: throttling and 5xx answers (not timeouts, not network errors). */
const retryable = new WeakSet<CognitoAuthError>()

/**
 * A client for the Cognito user-pool API.
 *
 * @example
 * ```ts
 * const cognito = createCognitoClient({ region: 'us-east-1', credentials: { accessKeyId, secretAccessKey } })
 * const user = await cognito.call('AdminGetUser', { UserPoolId: 'us-east-1_AbC123', Username: 'alice' })
 * ```
 */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/

export function createCognitoClient(options: CognitoClientOptions): CognitoClient {
  if (typeof options.region !== 'string' || !REGION.test(options.region)) {
    throw new CognitoAuthError('ERR_COGNITO_CONFIG', `region "${String(options.region)}" is not an AWS region like us-east-1`)
  }
  const fixedEndpoint = options.endpoint ?? null
  if (fixedEndpoint !== null) {
    try {
      new URL(fixedEndpoint)
    } catch {
      throw new CognitoAuthError('ERR_COGNITO_CONFIG', 'endpoint must be an absolute http(s) URL')
    }
  }
  const endpointFor = (region: string) => fixedEndpoint ?? `https://cognito-idp.${region}.amazonaws.com/`
  const retries = options.retries ?? 1
  if (!Number.isInteger(retries) || retries < 0 || retries > 2)
    throw new CognitoAuthError('ERR_COGNITO_CONFIG', 'retries must be 0, 1 or 2')
  const timeoutMs = options.timeoutMs ?? 5000
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new CognitoAuthError('ERR_COGNITO_CONFIG', 'timeoutMs must be a number > 0')
  const send = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init))
  const credentials = options.credentials ?? null

  async function request(operation: string, body: string, region: string): Promise<Request> {
    const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': TARGET_PREFIX + operation }
    const url = endpointFor(region)
    if (!credentials) return new Request(url, { method: 'POST', headers, body })
    const signer = new AwsV4Signer({ method: 'POST', url, headers, body, service: 'cognito-idp', region, ...credentials })
    const signed = await signer.sign()
    return new Request(signed.url, { method: signed.method, headers: signed.headers, body: signed.body ?? null })
  }

  async function attempt<T>(operation: string, body: string, region: string): Promise<T> {
    try {
      return await withDeadline(timeoutMs, async (signal) => {
        const response = await send(new Request(await request(operation, body, region), { signal }))
        if (!response.ok) throw await serviceError(response, operation)
        const answer = parseAnswer(await readAnswer(response, operation))
        if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
          throw new CognitoAuthError(
            'ERR_COGNITO_UNAVAILABLE',
            `Cognito ${operation} answered with something other than a JSON object`,
          )
        }
        return answer as T
      })
    } catch (error) {
      if (error instanceof CognitoAuthError) throw error
      const reason = error instanceof DeadlineExceeded ? `timed out after ${timeoutMs} ms` : 'could not be reached'
      throw new CognitoAuthError('ERR_COGNITO_UNAVAILABLE', `Cognito ${operation} ${reason}`, { cause: error })
    }
  }

  return Object.freeze({
    region: options.region,
    signed: credentials !== null,
    maxCallMs: (timeoutMs + 100) * (retries + 1),
    async call<T>(operation: string, input: Record<string, unknown>, callOptions?: CognitoCallOptions): Promise<T> {
      const region = callOptions?.region ?? options.region
      if (!REGION.test(region)) throw new CognitoAuthError('ERR_COGNITO_CONFIG', `region "${region}" is not an AWS region`)
      if ((operation.startsWith('Admin') || IAM_OPERATIONS.has(operation)) && !credentials) {
        throw new CognitoAuthError(
          'ERR_COGNITO_CREDENTIALS_MISSING',
          `${operation} needs AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`,
        )
      }
      const body = JSON.stringify(input)
      for (let tries = 0; ; tries++) {
        try {
          return await attempt<T>(operation, body, region)
        } catch (error) {
          const failure = error as CognitoAuthError
          if (tries >= retries || !retryable.has(failure)) throw failure
          await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** tries + Math.random() * 25))
        }
      }
    },
  })
}

/** The client the settings describe: `cognito` if given, else one for their region, endpoint, credentials and fetch. */
export function clientFromSettings(settings: CognitoSettings & { cognito?: CognitoClient }): CognitoClient {
  if (settings.cognito) return settings.cognito
  const firstPool = typeof settings.userPoolId === 'string' ? settings.userPoolId : settings.userPoolId[0]
  // Emulator pool ids (local_…) carry no region: us-east-1 then, as cognito-local answers for any.
  const region = settings.region ?? regionOfPool(firstPool ?? '') ?? 'us-east-1'
  return createCognitoClient({
    region,
    endpoint: settings.endpoint ?? null,
    credentials: settings.credentials ?? null,
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
  })
}
