// Shared by the property-based fuzz tests: how many runs a property makes (FUZZ_RUNS, default
// 2000 in `npm test`), and a tally of outcomes per property that `npm run fuzz` prints.
import { afterAll, inject } from 'vitest'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Runs per property (vitest.config.ts reads FUZZ_RUNS). */
    fuzzRuns: number
    /** Print the outcome tallies (FUZZ_REPORT=1, set by `npm run fuzz`). */
    fuzzReport: boolean
  }
}

export const FUZZ_RUNS = inject('fuzzRuns')

/** Runs for a property: FUZZ_RUNS, or a share of it for properties that cost more per run. */
export function runs(share = 1): number {
  return Math.max(1, Math.round(FUZZ_RUNS * share))
}

/** A test timeout that grows with the runs: vitest's 5 s default would cut a long fuzz run short. */
export function timeoutFor(numRuns: number, msPerRun: number): number {
  return Math.max(30_000, numRuns * msPerRun)
}

/** Counts of outcomes per property; printed after the file when reporting is on. */
export class Tally {
  readonly #title: string
  readonly #counts = new Map<string, Map<string, number>>()

  constructor(title: string) {
    this.#title = title
    afterAll(() => {
      if (inject('fuzzReport')) console.log(this.summary())
    })
  }

  /** Records one run of `property` that ended in `outcome` (a code, "accepted", a status…). */
  count(property: string, outcome: string): void {
    let outcomes = this.#counts.get(property)
    if (!outcomes) this.#counts.set(property, (outcomes = new Map()))
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
  }

  summary(): string {
    const runtime = typeof navigator === 'undefined' ? 'unknown runtime' : navigator.userAgent
    const lines = [`fuzz: ${this.#title} on ${runtime}, FUZZ_RUNS=${FUZZ_RUNS}`]
    for (const [property, outcomes] of this.#counts) {
      const total = [...outcomes.values()].reduce((sum, count) => sum + count, 0)
      lines.push(`  ${property}: ${total} runs`)
      for (const [outcome, count] of [...outcomes].sort((a, b) => b[1] - a[1])) {
        lines.push(`    ${String(count).padStart(7)}  ${outcome}`)
      }
    }
    return lines.join('\n')
  }
}
