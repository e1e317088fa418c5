// The demo Worker: the seed's /auth endpoints, a protected API with users kept in D1, and a
// login page. Every setting comes from env (wrangler.toml [vars], `npm start` for the emulator).
import { Hono } from 'hono'
import { optionsFromEnv } from 'cognito-edge'
import { type CognitoUserRow, d1UserStore } from 'cognito-edge/d1'
import { type CognitoAuthVariables, cognitoAuth, cognitoRoutes, requireGroups } from 'cognito-edge/hono'
import { page } from './page'

type Env = Cloudflare.Env & Record<string, unknown>

const app = new Hono<{ Bindings: Env; Variables: CognitoAuthVariables<CognitoUserRow> }>()

app.get('/', (c) => c.html(page))
app.get('/health', (c) => c.json({ ok: true }))

// POST /auth/login, /auth/refresh, /auth/logout, … with the seed's request bodies.
app.route(
  '/auth',
  cognitoRoutes((env: Env) => optionsFromEnv(env)),
)

// Everything under /api needs a Cognito session: seed headers, a bearer token or the session cookies.
app.use(
  '/api/*',
  cognitoAuth((env: Env) => {
    const settings = optionsFromEnv(env)
    return { ...settings, users: d1UserStore({ database: env.DB, ...settings.userLookup }) }
  }),
)

app.get('/api/me', (c) => c.json({ user: c.var.cognito.user, claims: c.var.cognito.claims, refreshed: c.var.cognito.refreshed }))
app.get('/api/admin', requireGroups('admins'), (c) => c.json({ hello: 'admin', user: c.var.cognito.user.username }))
app.post('/api/notes', async (c) => c.json({ saved: true, by: c.var.cognito.claims.sub }, 201))

export default app
