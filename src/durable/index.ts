export { CognitoRenewals } from './object'
export { durableRenewals } from './client'
export type { DurableObjectNamespaceBinding, RenewalsStub } from './client'
export type { RenewalCoordinator, RenewalTiming, RenewedTokens } from '../renewal-coordinator'
