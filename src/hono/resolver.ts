// Resolving an edge's settings once — per settings object, or per Worker env object when they
// come from env — and deriving per-edge values (auth or routes overrides) once per resolution.
import { type ManagedLoginResolver, resolveEdge } from './resolve'
import type { CognitoEdgeInput, CognitoEdgeSettings, ResolvedEdge } from './settings'

/** The one slot for callers without an env object (app.request() in tests, other runtimes). */
const NO_ENV = {}

/**
 * Resolves settings once: now for an object (so mistakes surface at startup), or on the first
 * request of each env object for a function of env. `managedLogin` resolves that section (the
 * edge with routes gives it; cognitoAuth alone does not).
 */
export function edgeResolver(
  input: CognitoEdgeInput<unknown>,
  managedLogin?: ManagedLoginResolver,
): (env: unknown) => ResolvedEdge {
  if (typeof input !== 'function') {
    const resolved = resolveEdge(input, managedLogin)
    return () => resolved
  }
  const fromEnv = input as (env: unknown) => CognitoEdgeSettings<unknown>
  const perEnv = new WeakMap<object, ResolvedEdge>()
  return (env) => {
    const key = typeof env === 'object' && env !== null ? env : NO_ENV
    let resolved = perEnv.get(key)
    if (resolved === undefined) {
      resolved = resolveEdge(fromEnv(env ?? {}), managedLogin)
      perEnv.set(key, resolved)
    }
    return resolved
  }
}

/** A resolution laid over each edge's own, kept per edge (so per env). */
export function perEdge<T>(derive: (edge: ResolvedEdge) => T): (edge: ResolvedEdge) => T {
  const cache = new WeakMap<ResolvedEdge, T>()
  return (edge) => {
    let value = cache.get(edge)
    if (value === undefined) {
      value = derive(edge)
      cache.set(edge, value)
    }
    return value
  }
}
