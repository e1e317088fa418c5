// Test rig for user stores: a D1 binding wrapper that counts the statements actually run (and can
// make them fail like an unreachable database), and a Hono app with cognitoAuth and a user store.
import { env } from 'cloudflare:test'
import { Hono } from 'hono'
import { cognitoAuth } from '../../src/hono'
import type { UserStore } from '../../src/d1'
import { authOptions } from '../helpers/auth'

export interface CountingD1 {
  /** Give this to the store instead of `env.DB`. */
  readonly database: D1Database
  /** The SQL of every statement run, in order (`batch` and `exec` calls included). */
  readonly statements: string[]
  reads(): number
  writes(): number
  reset(): void
  /** From now on statements whose SQL matches fail as D1 does when it is unreachable; `null` heals. */
  failWhen(pattern: RegExp | null): void
  /** Holds the next `count` statements until all of them have arrived, so they reach D1 at the same time. */
  gather(count: number): void
}

const RUNS = new Set<PropertyKey>(['all', 'raw', 'run', 'first'])

export function countingD1(inner: D1Database = env.DB): CountingD1 {
  const statements: string[] = []
  let failing: RegExp | null = null
  let gate: { waiting: number; open: Promise<void>; release: () => void } | null = null

  async function execute<T>(sql: string, run: () => Promise<T>): Promise<T> {
    statements.push(sql)
    if (gate) {
      const held = gate
      if (--held.waiting === 0) {
        gate = null
        held.release()
      }
      await held.open
    }
    if (failing?.test(sql)) throw new Error('D1_ERROR: Network connection lost.')
    return run()
  }

  function wrapStatement(statement: D1PreparedStatement, sql: string): D1PreparedStatement {
    return new Proxy(statement, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property)
        if (typeof value !== 'function') return value
        if (property === 'bind') return (...params: unknown[]) => wrapStatement(target.bind(...params), sql)
        if (RUNS.has(property)) return (...args: unknown[]) => execute(sql, () => value.apply(target, args) as Promise<unknown>)
        return value.bind(target)
      },
    })
  }

  const database = new Proxy(inner, {
    get(target, property) {
      if (property === 'prepare') return (sql: string) => wrapStatement(target.prepare(sql), sql)
      if (property === 'batch')
        return (batch: D1PreparedStatement[]) => execute(`batch of ${batch.length}`, () => target.batch(batch))
      if (property === 'exec') return (sql: string) => execute(sql, () => target.exec(sql))
      const value: unknown = Reflect.get(target, property)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })

  const isRead = (sql: string) => /^\s*select\b/i.test(sql)
  return {
    database,
    statements,
    reads: () => statements.filter(isRead).length,
    writes: () => statements.filter((sql) => !isRead(sql)).length,
    reset: () => void statements.splice(0),
    failWhen(pattern) {
      failing = pattern
    },
    gather(count) {
      let release = () => {}
      const open = new Promise<void>((resolve) => (release = resolve))
      gate = { waiting: count, open, release }
    },
  }
}

/** A real Hono app: cognitoAuth with the store on /api/*, and /api/me answering the user row. */
export function userApp<User>(users: UserStore<User>) {
  const handled: User[] = []
  const hono = new Hono().use('/api/*', cognitoAuth(authOptions({ users })))
  hono.get('/api/me', (c) => {
    handled.push(c.var.cognito.user)
    return c.json({ user: c.var.cognito.user })
  })
  return { hono, handled }
}

export async function errorOf(response: Response): Promise<string | undefined> {
  return ((await response.json()) as { code?: string }).code
}
