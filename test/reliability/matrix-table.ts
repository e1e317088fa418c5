// README's fault-matrix tables, rendered from the matrix (fault-matrix.ts) and aligned as Prettier
// aligns them, so `npm run format` leaves them as they are. Type imports only: Node runs it as it is.
import type { Family, Outcome, UpstreamCalls } from './fault-matrix.ts'

const describeCalls = ({ cognito, keySet, d1 }: UpstreamCalls): string => {
  const parts = [cognito ? `${cognito} Cognito` : null, keySet ? `${keySet} key set` : null, d1 ? `${d1} D1` : null].filter(
    (part) => part !== null,
  )
  return parts.length ? parts.join(' + ') : 'no call'
}

export function describeOutcome({ status, code, cookies, calls: upstream }: Outcome): string {
  return `${status}${code ? ` \`${code}\`` : ''}, ${cookies}, ${describeCalls(upstream)}`
}

function markdownTable(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, column) => Math.max(3, ...rows.map((row) => (row[column] ?? '').length)))
  const line = (row: readonly string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 3)).join(' | ')} |`
  const [head, ...body] = rows
  return [line(head ?? []), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n')
}

function renderFamily<Fault extends string>(family: Family<Fault>): string {
  const bugs: string[] = []
  const rows = family.faults.map((fault) => [
    fault,
    ...family.places.map((place) => {
      const bug = place.bugs?.[fault]
      if (!bug) return describeOutcome(place.outcomes[fault])
      bugs.push(
        `- **Bug** at ${place.name} under the ${family.upstream} fault \`${fault}\`: it should be ${describeOutcome(bug.wanted)} — ` +
          `${bug.why} (the \`it.fails\` test in test/reliability/fault-matrix.test.ts).`,
      )
      return `${describeOutcome(place.outcomes[fault])} (bug)`
    }),
  ])
  const faults = family.faults.map((fault) => `**${fault}**: ${family.faultDescriptions[fault]}`)
  const places = family.places.map((place) => `**${place.name}**: ${place.request}`)
  return [
    `**${family.title}.** ${faults.join('; ')}.`,
    '',
    `Where: ${places.join('; ')}.`,
    '',
    markdownTable([[`${family.upstream} fault`, ...family.places.map((place) => place.name)], ...rows]),
    ...(bugs.length ? ['', ...bugs] : []),
  ].join('\n')
}

export const TABLE_START =
  '<!-- fault matrix: generated from test/reliability/fault-matrix.ts (npx node scripts/reliability-table.ts) -->'
export const TABLE_END = '<!-- end of fault matrix -->'

/** What a cell says, and what holds in every cell: fault-matrix.test.ts asserts each claim. */
const LEGEND =
  'Each cell: the status and `code` the client gets (codes without `ERR_COGNITO_`; every 429 and 503 carries ' +
  '`Retry-After: 5`); what Set-Cookie does to the session cookies (**kept**: the request carried them and the ' +
  'response leaves them alone; **none**: none carried, none set; **cleared**: all three cleared; **renewed**: the ' +
  'renewed tokens delivered); and the calls that reached each upstream during the request (Cognito with ' +
  '`cognito: { retries: 1 }`: one retry after a 5xx or throttling, none after a timeout, a reset or a malformed ' +
  'answer). In every cell the route handler did not run and the user table held the same rows after the request ' +
  'as before; in the D1 cells, the same request once D1 heals answers 200 and leaves exactly one complete row.'

/** README's fault tables, exactly as the README holds them. */
export function renderFaultMatrix(families: readonly Family<string>[]): string {
  return [TABLE_START, LEGEND, ...families.map((family) => renderFamily(family)), TABLE_END].join('\n\n')
}
