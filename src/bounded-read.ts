// Reading a body with a byte cap, stopping as soon as it is passed, so a huge or endless body
// (a key-set response, a request to /auth) costs at most the cap in memory.

export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge'
}

/** The body as UTF-8 text (fatal on invalid bytes); rejects with BodyTooLarge past `maxBytes`. */
export async function readBoundedText(message: Request | Response, maxBytes: number): Promise<string> {
  if (Number(message.headers.get('content-length') ?? 0) > maxBytes) throw new BodyTooLarge(`body over ${maxBytes} bytes`)
  if (message.body === null) return ''
  const reader = message.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      reader.cancel().catch(() => {}) // not awaited: cancelling a tee'd body can wait on its twin
      throw new BodyTooLarge(`body over ${maxBytes} bytes`)
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
}
