// The demo Worker. It grows into the full example (login page, /api/me) with the local stack.
import { Hono } from 'hono'

const app = new Hono<{ Bindings: Cloudflare.Env }>()

app.get('/health', (c) => c.json({ ok: true }))

export default app
