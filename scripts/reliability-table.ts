// Prints README's fault-matrix tables, rendered from the matrix the tests run
// (test/reliability/fault-matrix.ts, rendered by matrix-table.ts), or with --write replaces the
// ones in README's "Reliability" section. npm test fails while the README holds another rendering.
// Run it on Node 22 (`npx node scripts/reliability-table.ts`): it strips the types itself.
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { FAMILIES } from '../test/reliability/fault-matrix.ts'
import { TABLE_END, TABLE_START, renderFaultMatrix } from '../test/reliability/matrix-table.ts'

const rendered = renderFaultMatrix(FAMILIES)
if (!process.argv.includes('--write')) {
  console.log(rendered)
} else {
  const readme = resolve(import.meta.dirname, '../README.md')
  const text = readFileSync(readme, 'utf8')
  const start = text.indexOf(TABLE_START)
  const end = text.indexOf(TABLE_END)
  if (start < 0 || end < start) throw new Error('README.md has no fault matrix to replace (its start and end comments)')
  writeFileSync(readme, text.slice(0, start) + rendered + text.slice(end + TABLE_END.length))
  console.log('README.md: fault matrix updated')
}
