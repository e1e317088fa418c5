// The faults of the matrix, made real: what a failing Cognito answers (a handler of the fake
// Cognito), what a failing key-set origin serves (a reply of the fake origin), and a D1 binding
// that fails the way D1 does. Each record is keyed by the names in fault-matrix.ts, so a fault
// named there and not made here fails the type check.
import { type CognitoHandler, cognitoError } from '../helpers/fake-cognito'
import { jwksOf } from '../helpers/keys'
import type { OriginReply } from '../helpers/origin'
import { signingKey } from '../helpers/auth'
import type { CognitoFault, D1Fault, KeySetFault } from './fault-matrix'

const html = (body: string, status: number) =>
  new Response(`<!doctype html><html><body>${body}</body></html>`, { status, headers: { 'content-type': 'text/html' } })

/** What Cognito (or what stands in front of it) answers, for every operation. */
export const COGNITO_FAULTS: Record<CognitoFault, CognitoHandler> = {
  '500': () => cognitoError('InternalErrorException', 'An internal error occurred.', 500),
  '502': () => html('<h1>502 Bad Gateway</h1>', 502),
  '503': () => new Response('Service Unavailable', { status: 503 }),
  timeout: () => new Promise<Response>(() => {}),
  // How workerd reports a connection the peer reset: fetch() rejects.
  'connection reset': () => {
    throw new TypeError('Network connection lost.')
  },
  HTML: () => html('<h1>Scheduled maintenance</h1>', 200),
  '{}': () => ({}),
  'truncated JSON': () =>
    new Response('{"AuthenticationResult":{"AccessToken":"eyJraWQiOiJtYWluLWtleSIsImFsZyI6IlJTMjU2In0.eyJzdWIiOi', {
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
    }),
  throttling: () => cognitoError('TooManyRequestsException', 'Rate exceeded'),
  'WAF 403': () => html('<h1>403 Forbidden</h1><p>Request blocked.</p>', 403),
}

/** A body of `total` bytes streamed in `chunk`-sized pieces, each after `delayMs`; nothing is produced unless read. */
function streamed(text: string, chunk: number, delayMs: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text)
  let offset = 0
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))
      if (offset >= bytes.length) return controller.close()
      controller.enqueue(bytes.slice(offset, offset + chunk))
      offset += chunk
    },
  })
}

const goodKeySet = JSON.stringify(jwksOf(signingKey))

/** What the key-set origin serves. */
export const KEY_SET_FAULTS: Record<KeySetFault, OriginReply> = {
  hang: 'hang',
  '500': new Response('Internal Server Error', { status: 500 }),
  HTML: html('<h1>Just a moment…</h1>', 200),
  // A real key set followed by 1 MiB of padding, streamed without a length: cut off at 64 KiB.
  oversize: () =>
    new Response(streamed(`{"keys":${JSON.stringify(jwksOf(signingKey).keys)},"pad":"${'x'.repeat(1024 * 1024)}"}`, 16_384, 0), {
      headers: { 'content-type': 'application/json' },
    }),
  // The real key set, one byte every 20 ms: complete only after ~10 s.
  'slow drip': () => new Response(streamed(goodKeySet, 1, 20), { headers: { 'content-type': 'application/json' } }),
}

/** A D1 binding whose statements fail as `fault` says; it records every statement attempted. */
export interface FaultyD1 {
  readonly database: D1Database
  /** The SQL of every statement attempted (prepared, or run), in order. */
  readonly attempted: string[]
  /** Fails from now on as `fault` says; `null` heals. */
  fail(fault: D1Fault | null): void
}

const EXECUTIONS = new Set<PropertyKey>(['all', 'raw', 'run', 'first'])
const isWrite = (sql: string) => !/^\s*select\b/i.test(sql)

export function faultyD1(inner: D1Database): FaultyD1 {
  const attempted: string[] = []
  let fault: D1Fault | null = null
  // SQLite's busy error as D1 passes it on; the statement did not run.
  const busy = () => Promise.reject(new Error('D1_ERROR: database is locked: SQLITE_BUSY'))

  function statement(prepared: D1PreparedStatement, sql: string): D1PreparedStatement {
    return new Proxy(prepared, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property)
        if (typeof value !== 'function') return value
        if (property === 'bind') return (...params: unknown[]) => statement(target.bind(...params), sql)
        if (!EXECUTIONS.has(property)) return value.bind(target)
        return (...args: unknown[]) => {
          attempted.push(sql)
          if (fault === 'busy' || (fault === 'busy on writes' && isWrite(sql))) return busy()
          return value.apply(target, args) as Promise<unknown>
        }
      },
    })
  }

  const database = new Proxy(inner, {
    get(target, property) {
      if (property === 'prepare')
        return (sql: string) => {
          if (fault === 'throws') {
            attempted.push(sql)
            throw new Error('D1_ERROR: Network connection lost.')
          }
          return statement(target.prepare(sql), sql)
        }
      if (property === 'batch' || property === 'exec') throw new Error(`the store is not expected to call D1 ${property}`)
      const value: unknown = Reflect.get(target, property)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return {
    database,
    attempted,
    fail(next) {
      fault = next
    },
  }
}
