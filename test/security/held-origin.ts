// A key-set origin that holds every fetch until the test releases it (or the fetch is aborted), so
// a test can tell "answered at once" from "waited for the fetch" by what was still held when a
// verification settled, not by wall-clock thresholds.
type Reply = { keys: JsonWebKey[] } | Response

export interface HeldOrigin {
  readonly fetch: typeof fetch
  /** Every URL fetched, in order. */
  readonly calls: string[]
  /** Fetches neither answered nor aborted yet. */
  readonly pending: number
  /** Answers every held fetch, and every later one until `hold()`, with `reply`. */
  release(reply: Reply): void
  /** Holds fetches again from now on. */
  hold(): void
}

function respond(reply: Reply): Response {
  return reply instanceof Response ? reply.clone() : Response.json(reply)
}

export function heldOrigin(): HeldOrigin {
  const calls: string[] = []
  const held = new Set<(reply: Reply) => void>()
  let answer: Reply | null = null
  const fetchImpl = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    calls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)
    if (answer) return Promise.resolve(respond(answer))
    return new Promise<Response>((resolve, reject) => {
      const answerWith = (reply: Reply) => {
        held.delete(answerWith)
        resolve(respond(reply))
      }
      held.add(answerWith)
      init?.signal?.addEventListener('abort', () => {
        held.delete(answerWith)
        reject(new Error('aborted'))
      })
    })
  }
  return {
    fetch: fetchImpl as typeof fetch,
    calls,
    get pending() {
      return held.size
    },
    release(reply) {
      answer = reply
      for (const answerWith of [...held]) answerWith(reply)
    },
    hold() {
      answer = null
    },
  }
}

/** How a verification ended, and how many origin fetches were still held at that moment. */
export interface Answer {
  readonly code: string
  readonly originPending: number
}

export function answerOf(origin: HeldOrigin, verification: Promise<unknown>): Promise<Answer> {
  return verification.then(
    () => ({ code: 'ok', originPending: origin.pending }),
    (error: { code?: string }) => ({ code: error.code ?? String(error), originPending: origin.pending }),
  )
}
