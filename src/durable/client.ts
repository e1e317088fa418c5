// durableRenewals: the renewal coordinator on a Durable Object namespace (CognitoRenewals). The
// isolate that leads calls Cognito itself — its settings and secrets never leave it — and tells the
// object Cognito's answer before verifying it; every other isolate renewing the same session gets
// that answer from the object and verifies it itself. So a failure of one isolate's own (its clock,
// its key set) never hands the lease on to spend a rotating refresh token twice.
import { withDeadline } from '../deadline'
import { CognitoAuthError, isCognitoAuthError } from '../errors'
import type { RenewalCoordinator, RenewalTiming, RenewedTokens } from '../renewal-coordinator'
import { keyOf } from '../session/refresh-memory'
import { type AcquireAnswer, RENEWALS_ORIGIN, SHARED_FAILURES, type SettleRequest, isFailure, isTokens } from './protocol'

/** What the client needs of a stub. Declared here, so the package's types stand alone. */
export interface RenewalsStub {
  fetch(input: string, init: { method: 'POST'; body: string; signal: AbortSignal }): Promise<Response>
}

/**
 * What the client needs of a Durable Object namespace binding (`env.RENEWALS`), declared here rather
 * than taken from @cloudflare/workers-types so the package's types stand alone.
 */
export interface DurableObjectNamespaceBinding {
  idFromName(name: string): unknown
  get(id: never): RenewalsStub
}

/** One round trip to the object, beyond any wait for a leader. */
const ROUND_TRIP_MS = 2000

function unavailable(cause: unknown): CognitoAuthError {
  return new CognitoAuthError('ERR_COGNITO_RENEWALS_UNAVAILABLE', 'the renewal coordinator could not be reached', { cause })
}

async function post(stub: RenewalsStub, path: string, body: object, ms: number): Promise<Response> {
  const response = await withDeadline(ms, (signal) =>
    stub.fetch(`${RENEWALS_ORIGIN}${path}`, { method: 'POST', body: JSON.stringify(body), signal }),
  )
  if (!response.ok) throw new Error(`the renewal coordinator answered ${response.status}`)
  return response
}

async function acquire(stub: RenewalsStub, timing: RenewalTiming): Promise<AcquireAnswer> {
  try {
    const answer = (await (await post(stub, '/acquire', timing, timing.leaseMs + ROUND_TRIP_MS)).json()) as AcquireAnswer
    if (answer.outcome === 'lead' && typeof answer.lease === 'string') return answer
    if (answer.outcome === 'tokens' && isTokens(answer.tokens)) return answer
    if (answer.outcome === 'refused' && isFailure(answer)) return answer
    throw new Error('the renewal coordinator answered something else')
  } catch (error) {
    throw unavailable(error)
  }
}

/** Tells the object the outcome. Never fails the renewal: without it, waiters lead once the lease runs out. */
async function settle(stub: RenewalsStub, body: SettleRequest): Promise<void> {
  await post(stub, '/settle', body, ROUND_TRIP_MS).catch(() => {})
}

/**
 * A renewal coordinator for the edge's `renewals` setting: renewals of one session from any isolate
 * make one Cognito call, and every caller gets the same new tokens for the refresh burst window —
 * what app clients that rotate refresh tokens need. Export `CognitoRenewals` from the Worker and bind it.
 *
 * @example
 * ```ts
 * import { createCognitoEdge } from 'cognito-edge/hono'
 * import { durableRenewals } from 'cognito-edge/durable'
 * export { CognitoRenewals } from 'cognito-edge/durable'
 *
 * const edge = createCognitoEdge((env: Env) => ({ ...optionsFromEnv(env), renewals: durableRenewals(env.RENEWALS) }))
 * ```
 */
export function durableRenewals(namespace: DurableObjectNamespaceBinding): RenewalCoordinator {
  if (typeof namespace?.idFromName !== 'function' || typeof namespace.get !== 'function')
    throw new CognitoAuthError(
      'ERR_COGNITO_CONFIG',
      'durableRenewals needs a Durable Object namespace binding, e.g. env.RENEWALS',
    )
  const stubOf = async (refreshToken: string) => namespace.get(namespace.idFromName(await keyOf(refreshToken)) as never)
  return Object.freeze({
    overheadMs: 2 * ROUND_TRIP_MS,

    async renew(refreshToken: string, timing: RenewalTiming, run: () => Promise<RenewedTokens>): Promise<RenewedTokens> {
      const stub = await stubOf(refreshToken)
      const answer = await acquire(stub, timing)
      if (answer.outcome === 'tokens') return answer.tokens
      if (answer.outcome === 'refused') throw new CognitoAuthError(answer.code, answer.message)
      const { lease } = answer
      let tokens: RenewedTokens
      try {
        tokens = await run()
      } catch (error) {
        const shared = isCognitoAuthError(error, ...SHARED_FAILURES)
        await settle(stub, shared ? { lease, code: error.code, message: error.message.slice(0, 500) } : { lease })
        throw error
      }
      // Shared before this isolate verifies them: Cognito spent the refresh token, whatever happens here next.
      await settle(stub, isTokens(tokens) ? { lease, tokens } : { lease })
      return tokens
    },

    async forget(refreshToken: string): Promise<void> {
      // Unreachable, the object hands out its last tokens until the burst window ends; the revocation list still refuses them.
      await post(await stubOf(refreshToken), '/forget', {}, ROUND_TRIP_MS).catch(() => {})
    },
  } satisfies RenewalCoordinator)
}
