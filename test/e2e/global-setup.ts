// Brings the local stack up once for the end-to-end files (cognito-local, local D1, the demo
// Worker under wrangler dev), on free ports and throwaway directories, and down afterwards.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { type Stack, startStack } from '../../scripts/stack.ts'

export interface StackInfo {
  url: string
  endpoint: string
  poolId: string
  /** The `iss` of the emulator's tokens (COGNITO_ISSUER). */
  issuer: string
  jwksUri: string
  clients: Stack['cognito']['clients']
  demoUser: Stack['cognito']['demoUser']
  persistTo: string
  /** cognito-local's data folder (its pool file holds pending confirmation codes). */
  cognitoDataDir: string
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo
  }
}

let stack: Stack | undefined
let scratch: string | undefined

export async function setup(project: TestProject): Promise<void> {
  scratch = mkdtempSync(join(tmpdir(), 'cognito-edge-e2e-'))
  const persistTo = join(scratch, 'd1')
  stack = await startStack({ workerPort: 0, cognitoPort: 0, persistTo, cognitoDataDir: join(scratch, '.cognito'), quiet: true })
  const { cognito } = stack
  project.provide('stack', {
    url: stack.url,
    endpoint: cognito.endpoint,
    poolId: cognito.poolId,
    issuer: cognito.issuer,
    jwksUri: cognito.jwksUri,
    clients: cognito.clients,
    demoUser: cognito.demoUser,
    persistTo,
    cognitoDataDir: join(scratch, '.cognito'),
  })
}

export async function teardown(): Promise<void> {
  await stack?.stop()
  if (scratch) rmSync(scratch, { recursive: true, force: true })
}
