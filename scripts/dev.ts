// `npm start`: cognito-local, local D1 and the demo Worker in one command. Ctrl-C stops all three.
import { startStack } from './stack.ts'

let stack
try {
  stack = await startStack()
} catch (error) {
  console.error(`\nnpm start could not bring the stack up: ${(error as Error).message}`)
  process.exit(1)
}
const { url, cognito } = stack
console.log(`
cognito-edge demo is running

  page        ${url}/
  sign in     ${cognito.demoUser.username} / ${cognito.demoUser.password}   (group: ${cognito.adminGroup})
  hosted UI   ${url}/auth/oauth2/login   (cognito-local's login form, then back signed in)
  API         ${url}/api/me   ${url}/api/admin
  cognito     ${cognito.endpoint}   pool ${cognito.poolId}

Try it with curl (the tokens come back as HttpOnly cookies, kept in ./jar):
  curl -s -c jar -b 'csrftoken=x' -H 'CsrfToken: x' -H 'content-type: application/json' \\
       -d '{"username": "${cognito.demoUser.username}", "password": "${cognito.demoUser.password}"}' ${url}/auth/login
  curl -s -b jar ${url}/api/me

Ctrl-C stops everything.
`)

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return
    stopping = true
    console.log('\nstopping…')
    await stack.stop()
    process.exit(0)
  })
}
