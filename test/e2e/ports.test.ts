// npm start's failure modes: a busy port is named, and a second run over the same data works.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cognitoCall, startLocalCognito } from '../../scripts/local-cognito.ts'
import { claimPort } from '../../scripts/stack.ts'

const scratch = mkdtempSync(join(tmpdir(), 'cognito-edge-ports-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('the local stack', () => {
  it('names a port that is already in use', async () => {
    const server = createServer().listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    const { port } = server.address() as { port: number }
    await expect(claimPort(port)).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`)
    await expect(startLocalCognito({ port, quiet: true, dataDir: join(scratch, '.cognito') })).rejects.toThrow(String(port))
    server.close()
  })

  it('starts again over the data of a previous run, with the same pool, clients and demo user', async () => {
    const dataDir = join(scratch, '.cognito')
    const first = await startLocalCognito({ port: 0, quiet: true, dataDir })
    await first.stop()
    const second = await startLocalCognito({ port: 0, quiet: true, dataDir })
    try {
      expect(second.poolId).toBe(first.poolId)
      const signIn = await cognitoCall(second.endpoint, 'InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: second.clients.public.id,
        AuthParameters: { USERNAME: second.demoUser.username, PASSWORD: second.demoUser.password },
      })
      expect(signIn.AuthenticationResult).toHaveProperty('IdToken')
    } finally {
      await second.stop()
    }
  })
})
