// The fault matrix (fault-matrix.ts) as tests: each fault at each place, through a real app over
// a fake Cognito, a fake key-set origin and a failing D1 binding, checked for the status and code
// the client gets, what happens to its cookies, the calls each upstream received, that the handler
// never ran and that D1 holds what it held. README's tables are this matrix, rendered.
import readme from '../../README.md?raw'
import { describe, expect, it } from 'vitest'
import { COGNITO_MATRIX, D1_MATRIX, FAMILIES, type Family, KEY_SET_MATRIX, type Outcome } from './fault-matrix'
import { TABLE_END, TABLE_START, describeOutcome, renderFaultMatrix } from './matrix-table'
import { COGNITO_PLACES, D1_PLACES, KEY_SET_PLACES, type Observation } from './places'

function runMatrix<Fault extends string>(family: Family<Fault>, runs: Record<string, (fault: Fault) => Promise<Observation>>) {
  describe(family.title, () => {
    it('every place of the matrix has a run, and every run a place', () => {
      expect(Object.keys(runs).sort()).toEqual(family.places.map((place) => place.name).sort())
    })

    for (const place of family.places) {
      const run = runs[place.name] as (fault: Fault) => Promise<Observation>
      describe(place.name, () => {
        for (const fault of family.faults) {
          const expected: Outcome = place.outcomes[fault]
          it(`${fault} → ${describeOutcome(expected)}`, async () => {
            const observation = await run(fault)
            expect(observation.observed).toEqual(expected)
            expect(observation.retryAfter).toBe(expected.status === 429 || expected.status === 503 ? '5' : null)
            expect(observation.handled).toBe(0)
            expect(observation.rows.after).toBe(observation.rows.before)
            if (observation.healed) {
              expect(observation.healed.status).toBe(200)
              expect(observation.healed.rows).toHaveLength(1)
              const [row] = observation.healed.rows
              for (const column of ['sub', 'username', 'email', 'groups', 'created_at', 'updated_at'])
                expect(row?.[column], column).not.toBeNull()
            }
          })
          const bug = place.bugs?.[fault]
          if (bug) {
            it.fails(
              `BUG: ${place.name}, Cognito ${fault}: answers ${describeOutcome(expected)}; should be ${describeOutcome(bug.wanted)}`,
              async () => {
                expect((await run(fault)).observed).toEqual(bug.wanted)
              },
            )
          }
        }
      })
    }
  })
}

runMatrix(COGNITO_MATRIX, COGNITO_PLACES)
runMatrix(KEY_SET_MATRIX, KEY_SET_PLACES)
runMatrix(D1_MATRIX, D1_PLACES)

describe('README', () => {
  it('holds the fault matrix exactly as rendered (update it with `npx node scripts/reliability-table.ts --write`)', () => {
    const start = readme.indexOf(TABLE_START)
    const end = readme.indexOf(TABLE_END)
    expect(start, 'README.md has no fault matrix').toBeGreaterThanOrEqual(0)
    expect(readme.slice(start, end + TABLE_END.length)).toBe(renderFaultMatrix(FAMILIES))
  })
})
