// The demo Worker: the seed's /auth endpoints (and managed login's /auth/oauth2/*), a protected
// API with users kept in D1, and a login page. Every setting comes from env (wrangler.toml [vars],
// `npm start` for the emulator).
import { Hono } from 'hono'
import { type CognitoUserRow, settingsFromEnv } from 'cognito-edge/d1'
import { type CognitoAuthVariables, createCognitoEdge, requireGroups } from 'cognito-edge/hono'
import { page } from './page'

// The Durable Object class behind COGNITO_RENEWAL_DO (wrangler.toml binds it as RENEWALS).
export { CognitoRenewals } from 'cognito-edge/durable'

type Env = Cloudflare.Env & Record<string, unknown>

// Configured by env alone (`user` is null without COGNITO_USERS_D1), as the seed was by its Django settings: COGNITO_USERS_D1 names the user
// table's D1 binding, COGNITO_REVOCATIONS_D1 the revocation list's (a logout holds on every isolate),
// COGNITO_RENEWAL_DO the Durable Object that renews a session once across isolates. One configuration
// per env: one verifier, one Cognito client, one user store, one copy of the revocation list.
const edge = createCognitoEdge(settingsFromEnv)

const app = new Hono<{ Bindings: Env; Variables: CognitoAuthVariables<CognitoUserRow | null> }>()

app.get('/', (c) => c.html(page({ hostedUi: Boolean(c.env.COGNITO_DOMAIN) }))) // managed login is on with COGNITO_DOMAIN
app.get('/health', (c) => c.json({ ok: true }))
app.route('/auth', edge.routes()) // POST /auth/login, /auth/refresh, /auth/logout, … with the seed's bodies
app.use('/api/*', edge.auth()) // seed headers, a bearer token or the session cookies

app.get('/api/me', (c) => c.json({ user: c.var.cognito.user, claims: c.var.cognito.claims, refreshed: c.var.cognito.refreshed }))
app.get('/api/admin', requireGroups('admins'), (c) => c.json({ hello: 'admin', user: c.var.cognito.user?.username ?? null }))
app.post('/api/notes', async (c) => c.json({ saved: true, by: c.var.cognito.claims.sub }, 201))

export default app
