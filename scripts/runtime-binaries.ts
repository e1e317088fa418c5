// Where each runtime of the matrix comes from: the machine's own Node (found on PATH past the
// toolchain's node_modules/.bin), and the Deno and Bun binaries that their npm packages ship in
// per-platform optional dependencies (@deno/<platform>, @oven/bun-<platform>). Those are run
// directly: the packages' postinstall scripts, which only link them, stay off (allowScripts).
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { delimiter, dirname, join, resolve, sep } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const requireFromRoot = createRequire(join(root, 'package.json'))

export interface SystemNode {
  readonly path: string
  /** Without the leading `v`, e.g. `20.20.2`. */
  readonly version: string
  readonly major: number
  /** The npm beside it (its npm-cli.js, to run with this node); null when there is none. */
  readonly npmCli: string | null
}

/** PATH without the node_modules/.bin entries npm puts first (they hold the toolchain's Node 22). */
export function systemPath(): string {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '' && !dir.split(sep).includes('node_modules'))
    .join(delimiter)
}

function onSystemPath(command: string): string | null {
  for (const dir of systemPath().split(delimiter)) {
    const candidate = join(dir, command)
    if (existsSync(candidate)) return realpathSync(candidate)
  }
  return null
}

/** The machine's own `node` (not the toolchain's), or null when PATH has none. */
export function findSystemNode(): SystemNode | null {
  const path = onSystemPath('node')
  if (path === null || path === realpathSync(process.execPath)) return null
  const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '')
  const npm = onSystemPath('npm')
  return { path, version, major: Number(version.split('.')[0]), npmCli: npm?.endsWith('.js') ? npm : null }
}

function platformBinary(packageName: string, file: string): string {
  let directory: string
  try {
    directory = dirname(requireFromRoot.resolve(`${packageName}/package.json`))
  } catch {
    throw new Error(`${packageName} is not installed (no build for ${process.platform}-${process.arch}, or npm ci skipped it)`)
  }
  const binary = join(directory, file)
  if (!existsSync(binary)) throw new Error(`${packageName} has no ${file}`)
  return binary
}

export function denoBinary(): string {
  const target = process.platform === 'linux' ? `linux-${process.arch}-glibc` : `${process.platform}-${process.arch}`
  return platformBinary(`@deno/${target}`, process.platform === 'win32' ? 'deno.exe' : 'deno')
}

export function bunBinary(): string {
  const arch = process.arch === 'arm64' ? 'aarch64' : 'x64'
  return platformBinary(`@oven/bun-${process.platform}-${arch}`, process.platform === 'win32' ? 'bin/bun.exe' : 'bin/bun')
}

/** The workerd that miniflare runs. */
export function workerdVersion(): string {
  const manifest = createRequire(requireFromRoot.resolve('miniflare')).resolve('workerd/package.json')
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
}

/** The first line of `<binary> --version`. */
export function versionOf(binary: string): string {
  return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim().split('\n')[0] ?? ''
}
