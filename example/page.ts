// The demo page: log in with a password (cookie session, CSRF token in a header) or through the
// hosted UI (managed login, when COGNITO_DOMAIN is set), see who you are, log out.
export const page = ({ hostedUi }: { hostedUi: boolean }) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cognito-edge demo</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; color: #1d2433; }
  form, section { border: 1px solid #d7dce5; border-radius: 8px; padding: 1rem 1.25rem; margin: 1rem 0; }
  label { display: block; margin: .5rem 0; }
  input { font: inherit; width: 100%; padding: .4rem; box-sizing: border-box; }
  button { font: inherit; padding: .4rem 1rem; margin-top: .5rem; }
  pre { background: #f4f6fa; padding: .75rem; overflow-x: auto; font-size: 13px; }
  #error { color: #b00020; }
  [hidden] { display: none; }
</style>
</head>
<body>
<h1>cognito-edge demo</h1>
<p>Cognito sign-in on a Worker: tokens verified at the edge, kept in HttpOnly cookies, users in D1.</p>
<form id="login">
  <label>Username <input name="username" autocomplete="username" value="demo@example.com"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password"></label>
  <button type="submit">Log in</button>
</form>
<form id="hosted" method="get" action="/auth/oauth2/login"${hostedUi ? '' : ' hidden'}>
  <input type="hidden" name="return_to" value="/">
  <button type="submit" id="hosted-ui">Sign in with the hosted UI</button>
</form>
<section id="session" hidden>
  <p>Signed in as <strong id="who"></strong></p>
  <pre id="me"></pre>
  <button id="logout">Log out</button>
</section>
<p id="error" role="alert"></p>
<script type="module">
const $ = (id) => document.getElementById(id)
const hostedUi = ${hostedUi}
// The csrftoken cookie is HttpOnly (HTTP_ONLY_COOKIE): the page echoes the token the endpoint answers
// with, asking for a fresh pair before each POST (another tab may have replaced the cookie).
async function csrf() {
  return (await (await fetch('/auth/generate_csrf')).json()).csrftoken
}

async function post(path, body) {
  return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', CsrfToken: await csrf() }, body: JSON.stringify(body) })
}

async function showSession() {
  const res = await fetch('/api/me')
  const signedIn = res.ok
  $('login').hidden = signedIn
  $('hosted').hidden = signedIn || !hostedUi
  $('session').hidden = !signedIn
  if (signedIn) {
    const me = await res.json()
    $('who').textContent = me.user.email ?? me.claims.sub
    $('me').textContent = JSON.stringify(me.user, null, 2)
  }
}

$('login').addEventListener('submit', async (event) => {
  event.preventDefault()
  $('error').textContent = ''
  const form = new FormData(event.target)
  const res = await post('/auth/login', { username: form.get('username'), password: form.get('password') })
  const body = await res.json()
  if (!res.ok) $('error').textContent = body.error // a sentence, as the seed's clients show it
  else if (body.ChallengeName) $('error').textContent = 'Cognito asks for ' + body.ChallengeName + ' (not handled by this demo page)'
  await showSession()
})

$('logout').addEventListener('click', async () => {
  // With the hosted UI, log out through it: the session ends here, then at Cognito, which sends the browser back.
  if (hostedUi) return location.assign('/auth/oauth2/logout')
  await post('/auth/logout', {})
  await showSession()
})

await showSession()
</script>
</body>
</html>
`
