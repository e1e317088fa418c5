// SigV4 signing for Cognito's IAM-authorized calls (Admin*, ListUsers), by aws4fetch. Its own
// module, imported only by code that makes such calls, so other bundles never carry it.
import { AwsV4Signer } from 'aws4fetch'
import { checkKeys, nonEmpty } from '../config'
import type { RequestSigner } from './transport'

/** IAM credentials (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`). */
export interface AwsCredentials {
  /** The access key id. Required. */
  accessKeyId: string
  /** The secret access key. Required. */
  secretAccessKey: string
  /** A session token, for temporary credentials. Default none. */
  sessionToken?: string
}

/**
 * A signer for `createCognitoClient({ signer })`: every call is SigV4-signed with these credentials.
 *
 * @example
 * ```ts
 * const cognito = createCognitoClient({ region: 'us-east-1', signer: awsSigner({ accessKeyId, secretAccessKey }) })
 * const user = await adminGetUser(cognito, { userPoolId: 'us-east-1_AbC123', username: 'alice' })
 * ```
 */
export function awsSigner(credentials: AwsCredentials): RequestSigner {
  checkKeys(credentials, ['accessKeyId', 'secretAccessKey', 'sessionToken'], 'credentials')
  const accessKeyId = nonEmpty(credentials.accessKeyId, 'credentials.accessKeyId')
  const secretAccessKey = nonEmpty(credentials.secretAccessKey, 'credentials.secretAccessKey')
  const sessionToken =
    credentials.sessionToken === undefined ? undefined : nonEmpty(credentials.sessionToken, 'credentials.sessionToken')
  return Object.freeze({
    async sign({ url, region, headers, body }: Parameters<RequestSigner['sign']>[0]): Promise<Headers> {
      const signer = new AwsV4Signer({
        method: 'POST',
        url,
        headers,
        body,
        service: 'cognito-idp',
        region,
        accessKeyId,
        secretAccessKey,
        ...(sessionToken ? { sessionToken } : {}),
      })
      return (await signer.sign()).headers
    },
  })
}
