// A fake key-set origin: an injected fetch that serves JSON Web Key Sets and counts its calls.

export type OriginReply =
  { keys: JsonWebKey[] } | Response | 'hang' | 'network-error' | ((url: string) => Response | Promise<Response>)

export interface FakeOrigin {
  readonly fetch: typeof fetch
  /** Every URL fetched, in order. */
  readonly calls: string[]
  /** Replaces what `url` (or every URL, when omitted) answers from now on. */
  serve(reply: OriginReply, url?: string): void
}

export function fakeOrigin(initial: OriginReply, url?: string): FakeOrigin {
  const replies = new Map<string | undefined, OriginReply>([[url, initial]])
  const calls: string[] = []
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const target = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    calls.push(target)
    const reply = replies.get(target) ?? replies.get(undefined)
    if (reply === undefined) return new Response('not found', { status: 404 })
    if (reply === 'network-error') throw new TypeError('fetch failed')
    if (reply === 'hang') {
      return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))))
    }
    if (typeof reply === 'function') return reply(target)
    if (reply instanceof Response) return reply.clone()
    return Response.json(reply)
  }
  return {
    fetch: fetchImpl as typeof fetch,
    calls,
    serve(reply, target) {
      replies.set(target, reply)
    },
  }
}
