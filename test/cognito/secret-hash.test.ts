import { describe, expect, it } from 'vitest'
import { secretHash } from '../../src/index'

describe('secretHash (known answers)', () => {
  const vectors: [string, string, string, string][] = [
    [
      'dce7ifcfiiw92ighskss5thbd',
      'ff7c5b45-e9f9-4a2c-84ee-f9db51e48a82',
      '1a39ybav282ywjk58c7w8pqnc',
      'IPkSBWR0YHXpnUqXJHe22UnnJprIFLdAxADEwraUIeY=',
    ],
    ['s3cr3t', 'alice@example.com', '1example23456789abcdefghij', '2ha83cJKOY6MbkJ5wKngc0J3uENmijnCI7Qy/NAkAC8='],
    ['s3cr3t', 'ünï', '1example23456789abcdefghij', 'rL/eeFhch0CAjQ+0IYD9DbTa1kRgCxopntMmpuXmF/4='],
  ]
  for (const [secret, username, clientId, expected] of vectors) {
    it(`${username} with client ${clientId}`, async () => {
      expect(await secretHash(secret, username, clientId)).toBe(expected)
    })
  }
})
