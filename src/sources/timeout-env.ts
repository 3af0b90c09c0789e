/**
 * Bounds on how long a source (the Docker engine, a registry) may stay silent, set in seconds by
 * an environment variable: documented seams for slow networks, and for tests.
 */
import { quoteValue, UserError } from '../util/errors.js'

const MAX_SECONDS = 86_400

/**
 * `variable`'s value in milliseconds, or `defaultSeconds` when it is unset or empty; any value
 * that is not a number of seconds above 0 (up to a day) is a `UserError` naming the variable.
 */
export function secondsFromEnv(
  variable: string,
  defaultSeconds: number,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const raw = env[variable] ?? ''
  const text = raw.trim()
  if (!text) return defaultSeconds * 1000
  const seconds = /^[0-9]+(\.[0-9]+)?$/.test(text) ? Number(text) : NaN
  if (!(seconds > 0 && seconds <= MAX_SECONDS)) {
    throw new UserError(
      `${variable} has the value ${quoteValue(raw)}; expected a number of seconds above 0, up to ${MAX_SECONDS} (default ${defaultSeconds})`,
    )
  }
  return Math.max(1, Math.round(seconds * 1000))
}
