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
