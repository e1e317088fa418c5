// d1Revocations: the revocation list in D1 (table cognito_revocations), honoured by every isolate.
// Logout and sign-out everywhere add rows — one per sign-in, one per user — and each isolate keeps a
// copy it pulls by cursor (`WHERE id > ?`) about once per maxStaleness, so a request reads no D1
// while its copy is fresh, and one read per window serves every session of the isolate.
import { and, asc, eq, gt, lt, lte } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { withDeadline } from '../deadline'
import { CognitoAuthError } from '../errors'
import type { RevocationList } from '../revocation-list'
import { type RevocationEntry, RevocationCopy, signInOf } from '../session/revocation-copy'
import type { CognitoClaims } from '../token/claims'
import { type D1RevocationsOptions, resolveRevocationsOptions } from './revocation-options'
import { cognitoRevocations } from './schema'

export type { D1RevocationsOptions } from './revocation-options'

/** D1 binds at most 100 parameters per statement; a row takes four. */
const ROWS_PER_INSERT = 20

/**
 * A revocation list on D1 for the edge's `revocations` setting: the middleware refuses ended sessions
 * with 401 ERR_COGNITO_REVOKED, `/auth/logout` records the session it ends, and `signOutEverywhere`
 * (or `routes.globalSignOut`) records the user. Its table ships in `migrations/`.
 *
 * @example
 * ```ts
 * import { optionsFromEnv } from 'cognito-edge'
 * import { createCognitoEdge } from 'cognito-edge/hono'
 * import { d1Revocations } from 'cognito-edge/d1'
 *
 * const edge = createCognitoEdge((env: Env) => ({
 *   ...optionsFromEnv(env),
 *   revocations: d1Revocations({ database: env.DB, maxStaleness: 10, onUnavailable: 'closed' }),
 * }))
 * ```
 */
export function d1Revocations(options: D1RevocationsOptions): RevocationList {
  const config = resolveRevocationsOptions(options)
  const db = drizzle(config.database as D1Database)
  const table = cognitoRevocations
  const copy = new RevocationCopy({
    pull: (after, limit) =>
      db
        .select({ id: table.id, kind: table.kind, key: table.key, notBefore: table.notBefore, expiresAt: table.expiresAt })
        .from(table)
        .where(gt(table.id, after))
        .orderBy(asc(table.id))
        .limit(limit),
    maxStalenessMs: config.maxStalenessMs,
    failAfterMs: config.failAfterMs,
    onUnavailable: config.onUnavailable,
    timeoutMs: config.timeoutMs,
    report: config.report,
    now: config.now,
  })

  /**
   * Adds the entries and prunes expired ones, in one batch; then this isolate refuses them at once.
   * A user's row is replaced by a later sign-out everywhere (deleted, then inserted with a new id that
   * every isolate pulls); an earlier or equal one changes nothing (ON CONFLICT DO NOTHING), nor does
   * a sign-in already recorded.
   */
  async function record(entries: readonly RevocationEntry[]): Promise<void> {
    if (entries.length === 0) return
    const nowSeconds = Math.floor(config.now() / 1000)
    try {
      const chunks = Array.from({ length: Math.ceil(entries.length / ROWS_PER_INSERT) }, (_, index) =>
        entries.slice(index * ROWS_PER_INSERT, (index + 1) * ROWS_PER_INSERT),
      )
      const inserts = chunks.map((rows) => db.insert(table).values(rows).onConflictDoNothing())
      const superseded = entries
        .filter((entry) => entry.kind === 'user')
        .map((entry) =>
          db.delete(table).where(and(eq(table.kind, 'user'), eq(table.key, entry.key), lt(table.notBefore, entry.notBefore))),
        )
      // Pruned first: an expired row of the same entry must not swallow the new one (ON CONFLICT DO NOTHING).
      const prune = db.delete(table).where(lte(table.expiresAt, nowSeconds))
      await withDeadline(config.timeoutMs, () => db.batch([prune, ...superseded, ...inserts]))
    } catch (cause) {
      const error = new CognitoAuthError('ERR_COGNITO_REVOCATIONS_UNAVAILABLE', 'the revocation could not be recorded', {
        cause,
      })
      config.report(error)
      throw error
    }
    copy.add(entries)
  }

  return Object.freeze({
    check: (subject, waitUntil) => copy.check(subject, waitUntil),

    async revokeSessions(claims: readonly CognitoClaims[]): Promise<void> {
      // Entries last as long as a token of the sign-in can be minted: its refresh token renews it until it expires.
      const expiresAt = Math.ceil(config.now() / 1000) + config.refreshTokenLifetimeSeconds
      const signIns = new Set(claims.map(signInOf).filter((signIn) => signIn !== null))
      await record([...signIns].map((key) => ({ kind: 'session', key, notBefore: 0, expiresAt })))
    },

    async revokeUser(sub: string, notBefore?: number): Promise<number> {
      if (typeof sub !== 'string' || sub === '') throw new CognitoAuthError('ERR_COGNITO_CLAIM', 'sub must be a non-empty string')
      const from = notBefore ?? Math.ceil(config.now() / 1000)
      if (!Number.isSafeInteger(from) || from < 0)
        throw new CognitoAuthError('ERR_COGNITO_CONFIG', 'notBefore must be whole Unix seconds')
      await record([{ kind: 'user', key: sub, notBefore: from, expiresAt: from + config.refreshTokenLifetimeSeconds }])
      return from
    },
  } satisfies RevocationList)
}
