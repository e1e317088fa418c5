// The one home of option checks: every factory validates its options with these, once, at
// construction, so a bad setting fails at startup with a message naming it — never per request.
import { CognitoAuthError } from './errors'

export function configError(message: string): CognitoAuthError {
  return new CognitoAuthError('ERR_COGNITO_CONFIG', message)
}

/** Refuses keys the options do not have, so a typo such as `userPoolID` never passes silently. */
export function checkKeys(value: unknown, known: readonly string[], where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw configError(`${where} must be an object`)
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw configError(`${where} has no option "${key}" (known: ${known.join(', ')})`)
  }
  return value as Record<string, unknown>
}

/** A non-empty string or list of strings, without blanks or padding; duplicates dropped. */
export function stringList(value: string | readonly string[], name: string): readonly string[] {
  const values = typeof value === 'string' ? [value] : value
  if (!Array.isArray(values) || values.length === 0) throw configError(`${name} must be a non-empty string or list of strings`)
  for (const item of values) {
    if (typeof item !== 'string' || item.trim() !== item || item === '') throw configError(`${name} has an empty or padded entry`)
  }
  return Object.freeze([...new Set(values)])
}

/** A non-empty string without padding. */
export function nonEmpty(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '' || value.trim() !== value) {
    throw configError(`${name} must be a non-empty string without padding`)
  }
  return value
}

/** A finite number ≥ 0 (`undefined` → `fallback`), in the option's unit times `unit` (1000 turns seconds into ms). */
export function duration(value: unknown, fallback: number, name: string, unit = 1): number {
  if (value === undefined) return fallback * unit
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw configError(`${name} must be a finite number ≥ 0`)
  return value * unit
}

/** A whole number in [min, max] (`undefined` → `fallback`). */
export function wholeNumber(value: unknown, fallback: number, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw configError(`${name} must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}`)
  }
  return value as number
}

/** An absolute http(s) URL. */
export function httpUrl(value: unknown, name: string): string {
  let parsed: URL | null = null
  try {
    parsed = typeof value === 'string' ? new URL(value) : null
  } catch {
    // reported below
  }
  if (parsed === null || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw configError(`${name} must be an absolute http(s) URL`)
  }
  return value as string
}

export function booleanOption(value: unknown, fallback: boolean, name: string): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw configError(`${name} must be true or false`)
  return value
}

export function functionOption<F>(value: F | undefined | null, name: string): F | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'function') throw configError(`${name} must be a function`)
  return value
}

/** AWS region names, e.g. `us-east-1`, `ap-southeast-2`, `us-gov-west-1`. */
export const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/
/** Cognito user pool ids: `<region>_<id>`, e.g. `us-east-1_AbC123`. */
const POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d)_[0-9A-Za-z]+$/

export function region(value: unknown, name: string): string {
  if (typeof value !== 'string' || !REGION.test(value)) {
    throw configError(`${name} "${String(value)}" is not an AWS region like us-east-1`)
  }
  return value
}

/** The region a pool id starts with (`us-east-1_AbC123` → `us-east-1`), or null for other ids (emulators'). */
export function regionOfPool(poolId: string): string | null {
  return POOL_ID.exec(poolId)?.[1] ?? null
}

/** The fetch to use. Wrapped, not stored bare: Workers throws "Illegal invocation" when fetch is called as a method. */
export function fetchOption(value: typeof fetch | undefined | null, name = 'fetch'): typeof fetch {
  return functionOption(value, name) ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init))
}

export function clockOption(value: (() => number) | undefined | null, name = 'now'): () => number {
  return functionOption(value, name) ?? Date.now
}
