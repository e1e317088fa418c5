import { createCognitoVerifier } from '../src/index.ts'
const v = createCognitoVerifier({ userPoolId: 'us-east-1_AbC123', clientId: 'x' })
export const f = (t: string) => v.verify(t)
