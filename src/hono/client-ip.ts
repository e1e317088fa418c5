// The client's address, where it can be trusted: the edge's own word, never a header any client writes.

import type { Context } from 'hono'

/**
 * The client's address from `CF-Connecting-IP`, only on a request that came through Cloudflare's
 * edge (it has `cf`): elsewhere (Node, Deno, Bun, a direct request) any client could write that
 * header, and a budget keyed on it would never run out. Null otherwise.
 */
export function clientIp(c: Context): string | null {
  if ((c.req.raw as { cf?: unknown }).cf === undefined) return null
  return c.req.header('cf-connecting-ip') || null
}

/**
 * The client's network, for budgets a client must not multiply by switching addresses: an IPv4
 * address as it is, an IPv6 one as its /64 (the block one subscriber or server is given, so one
 * client holds many addresses of it). Null where `clientIp` is.
 */
export function clientNetwork(c: Context): string | null {
  const ip = clientIp(c)
  // IPv4, and IPv6 with an embedded IPv4 (::ffff:192.0.2.1): the address itself.
  if (ip === null || !ip.includes(':') || ip.includes('.')) return ip
  const [head = '', tail] = ip.toLowerCase().split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const zeros = tail === undefined ? [] : Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0')
  const groups = [...left, ...zeros, ...right].slice(0, 4).map((group) => group.replace(/^0+(?=.)/, ''))
  return `${groups.join(':')}::/64`
}
