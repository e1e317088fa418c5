// The demo page in a real browser (Debian's Chromium driven by playwright-core): log in, see the
// user, reload, a POST without the CSRF header is refused, log out; and the same through the hosted
// UI (cognito-local's login form). Screenshots go to test-output/.
import { existsSync, mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stack } from './helpers'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const output = resolve(import.meta.dirname, '../../test-output/browser')
// CI installs Chromium (.ci/run) and must run this; a machine without it says so and skips.
const available = existsSync(CHROMIUM)
if (!available && process.env.CI)
  throw new Error(`Chromium is missing at ${CHROMIUM}; .ci/run installs Debian's chromium package`)
if (!available) console.warn(`browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`)

describe.runIf(available)('the demo page in Chromium', () => {
  let browser: Browser

  beforeAll(async () => {
    mkdirSync(output, { recursive: true })
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
  })

  afterAll(async () => {
    await browser?.close()
  })

  it('logs in, keeps the session across a reload, refuses a forged POST, and logs out', async () => {
    const page = await browser.newPage()
    await page.goto(`${stack.url}/`)
    await page.fill('input[name=username]', stack.demoUser.username)
    await page.fill('input[name=password]', stack.demoUser.password)
    await page.click('button[type=submit]')
    await expect.poll(() => page.textContent('#who')).toBe(stack.demoUser.email)
    expect(await page.textContent('#me')).toContain(stack.demoUser.sub)
    await page.screenshot({ path: resolve(output, 'signed-in.png') })

    const cookies = await page.context().cookies()
    expect(cookies.find((cookie) => cookie.name === 'cognito-access')?.httpOnly).toBe(true)
    expect(await page.evaluate(() => document.cookie)).not.toContain('cognito-access') // HttpOnly: out of the page's reach

    await page.reload()
    await expect.poll(() => page.isVisible('#session')).toBe(true)
    // The page shows the section, then fills it once /api/me's body is read: poll, as after the login.
    await expect.poll(() => page.textContent('#who')).toBe(stack.demoUser.email)

    const forged = await page.evaluate(async () => (await fetch('/api/notes', { method: 'POST' })).status)
    expect(forged).toBe(403)
    // The csrftoken cookie is HttpOnly too (HTTP_ONLY_COOKIE): the page echoes the token generate_csrf answered.
    expect(await page.evaluate(() => document.cookie)).not.toContain('csrftoken')
    const honest = await page.evaluate(async () => {
      const { csrftoken } = (await (await fetch('/auth/generate_csrf')).json()) as { csrftoken: string }
      return (await fetch('/api/notes', { method: 'POST', headers: { CsrfToken: csrftoken } })).status
    })
    expect(honest).toBe(201)

    await page.click('#logout')
    await expect.poll(() => page.isVisible('#login')).toBe(true)
    expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain('cognito-access')
    await page.screenshot({ path: resolve(output, 'signed-out.png') })
    expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(401)
  })

  it('signs in through the hosted UI, lands back signed in with the D1 row, and logs out', async () => {
    const page = await browser.newPage()
    await page.goto(`${stack.url}/`)
    await page.click('#hosted-ui')
    await page.waitForURL(`${stack.endpoint}/oauth2/authorize?**`)
    await page.screenshot({ path: resolve(output, 'hosted-ui.png') })
    await page.fill('input[name=username]', stack.demoUser.username)
    await page.fill('input[name=password]', stack.demoUser.password)
    await page.click('button[type=submit]')
    await page.waitForURL(`${stack.url}/`)
    await expect.poll(() => page.textContent('#who')).toBe(stack.demoUser.email)
    expect(await page.textContent('#me')).toContain(stack.demoUser.sub)
    const me = await page.evaluate(async () => {
      const res = await fetch('/api/me')
      return { status: res.status, body: (await res.json()) as { user: { sub: string; email: string } } }
    })
    expect(me).toMatchObject({ status: 200, body: { user: { sub: stack.demoUser.sub, email: stack.demoUser.email } } })
    const names = (await page.context().cookies()).map((cookie) => cookie.name)
    expect(names).toEqual(expect.arrayContaining(['cognito-id', 'cognito-access', 'cognito-refresh']))
    expect(names).not.toContain('cognito-oauth2') // the transaction cookie was spent
    await page.screenshot({ path: resolve(output, 'hosted-ui-signed-in.png') })

    await page.click('#logout')
    await page.waitForURL(`${stack.url}/`)
    await expect.poll(() => page.isVisible('#login')).toBe(true)
    expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain('cognito-refresh')
    expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(401)
  })
})
