import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'

describe('rig: Hono in workerd', () => {
  it('answers a request through app.request()', async () => {
    const app = new Hono().get('/hello/:name', (c) => c.json({ hello: c.req.param('name'), runtime: navigator.userAgent }))
    const res = await app.request('/hello/edge')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ hello: 'edge', runtime: 'Cloudflare-Workers' })
  })
})
