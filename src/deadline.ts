// One way to bound I/O in time: an AbortSignal for the well-behaved, and a race for an injected
// fetch that ignores it, so no caller can hang (DESIGN.md: "never a hang").

export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded'
}

/** Runs `task` with a signal that aborts after `ms` milliseconds; rejects with DeadlineExceeded by then. */
export async function withDeadline<T>(ms: number, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      reject(new DeadlineExceeded(`no answer within ${ms} ms`))
    }, ms)
  })
  expired.catch(() => {})
  try {
    return await Promise.race([task(controller.signal), expired])
  } finally {
    if (timer !== undefined) clearTimeout(timer)
  }
}
