// What the runtime matrix's harness (scripts/runtimes.ts) serves at /fixture for the program
// every runtime runs (program.ts): where the pool's key set is, and tokens signed with its key.
export interface RuntimeFixture {
  readonly userPoolId: string
  readonly clientId: string
  /** The issuer override: the harness stands in for Cognito on 127.0.0.1. */
  readonly issuer: string
  /** The key set, served over HTTP by the harness. */
  readonly jwksUri: string
  /** The `sub` of every token below. */
  readonly sub: string
  readonly tokens: {
    /** An access token for `clientId`, valid for an hour. */
    readonly valid: string
    /** `valid` with another `sub` in its payload and the original signature. */
    readonly tampered: string
    /** Correctly signed, expired an hour ago. */
    readonly expired: string
    /** Correctly signed, valid, for another app client. */
    readonly otherClient: string
  }
}
