// Requests as they reach a Worker through Cloudflare's edge, and the rate limiter the README recommends:
// what the tests of client budgets share.

/** A request through Cloudflare's edge: it carries `cf`, and CF-Connecting-IP is the client's. */
export function throughCloudflare(
  path: string,
  ip: string,
  init: RequestInit & { headers?: Record<string, string> } = {},
): Request {
  return new Request(`http://localhost${path}`, {
    ...init,
    headers: { ...init.headers, 'cf-connecting-ip': ip },
    cf: { colo: 'TST' },
  } as RequestInit)
}

/** The README's limiter: ACCOUNT_LIMIT (10 a minute per key) and IP_LIMIT (100 a minute per address). */
export function readmeLimiter() {
  const account = new Map<string, number>()
  const address = new Map<string, number>()
  const take = (counts: Map<string, number>, key: string, limit: number) => {
    const count = (counts.get(key) ?? 0) + 1
    counts.set(key, count)
    return count <= limit
  }
  return (_c: unknown, { key, ip }: { key: string; ip: string | null }) =>
    (key === '' || take(account, key, 10)) && take(address, ip ?? 'no-ip', 100)
}
