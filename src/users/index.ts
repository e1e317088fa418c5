export { cognitoUsers } from './schema'
export type { CognitoUserRow } from './schema'
