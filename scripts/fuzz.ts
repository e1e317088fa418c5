// npm run fuzz: every property of test/fuzz with FUZZ_RUNS runs each (default 100000; set
// FUZZ_RUNS to choose), in the projects that run them in npm test, printing per property the
// number of runs and the count of each outcome (rejection code, status).
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const runs = process.env.FUZZ_RUNS ?? '100000'
const started = Date.now()
const vitest = spawnSync(
  join(root, 'node_modules/.bin/vitest'),
  ['run', 'test/fuzz', '--project', 'workerd', '--project', 'node', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...process.env, FUZZ_RUNS: runs, FUZZ_REPORT: '1' } },
)
console.log(`fuzz: ${runs} runs per property, ${Math.round((Date.now() - started) / 1000)} s in all`)
process.exit(vitest.status ?? 1)
