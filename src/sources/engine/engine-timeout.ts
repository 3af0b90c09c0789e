/**
 * How long the Docker engine may stay silent on a connection before the run gives up on it: a
 * run must end even when the engine hangs (a wedged daemon, a socket that accepts and never
 * answers, an export that stops mid-stream). The bound is on silence, not on the whole request:
 * a large export or pull that keeps sending is never cut.
 */
import { secondsFromEnv } from '../timeout-env.js'

/** The environment variable that sets the bound, in seconds */
export const ENGINE_TIMEOUT_VARIABLE = 'IMAGE_SIZE_GATE_ENGINE_TIMEOUT'
/** Default bound (seconds): longer than any pause of a healthy engine's export or pull stream */
export const DEFAULT_ENGINE_TIMEOUT_S = 120

/** The bound in milliseconds, from `env`; a value that is not a number of seconds is a `UserError`. */
export function engineTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  return secondsFromEnv(ENGINE_TIMEOUT_VARIABLE, DEFAULT_ENGINE_TIMEOUT_S, env)
}

/** Raised on a connection the engine left silent for longer than the bound. */
export class EngineSilenceError extends Error {
  override name = 'EngineSilenceError'
  readonly code = 'ETIMEDOUT'
  constructor(readonly timeoutMs: number) {
    super(`no answer in ${formatBound(timeoutMs)}`)
  }
}

/** `2 s`, `0.5 s`, `120 s` */
export function formatBound(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`
}
