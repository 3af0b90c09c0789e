import type Docker from 'dockerode'
import { UserError } from '../../util/errors.js'
import { addressOf, endpointOf, silenceOf } from './docker-client.js'
import { ENGINE_TIMEOUT_VARIABLE, formatBound } from './engine-timeout.js'
import { describeEndpoint } from './resolve-endpoint.js'

/** HTTP status of a dockerode / docker-modem error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode
  return typeof status === 'number' ? status : undefined
}

/** Turns "connect ENOENT /var/run/docker.sock" into advice naming the engine and what chose it. */
export function engineError(error: unknown, docker: Docker): Error {
  const code = (error as { code?: unknown } | undefined)?.code
  const { where, fix } = describeClient(docker)
  const silence = silenceOf(docker)
  if (silence && (hasName(error, 'EngineSilenceError') || (silence.dropped && isCut(error)))) {
    return new UserError(
      `The Docker engine at ${where} did not answer in ${formatBound(silence.timeoutMs)}: check that it is running and responsive (docker info), then run again; ${ENGINE_TIMEOUT_VARIABLE} (seconds) sets this bound`,
      { cause: error },
    )
  }
  if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EACCES' || code === 'ETIMEDOUT') {
    return new UserError(
      `Cannot reach the Docker engine at ${where} (${String(code)}): start dockerd, or ${fix}${code === 'EACCES' ? ' (or add the user to the docker group)' : ''}`,
      { cause: error },
    )
  }
  if (error instanceof UserError) return error
  const message = error instanceof Error ? error.message : String(error)
  const tls = endpointOf(docker)?.tls
  if (!tls && isCut(error)) {
    return new UserError(
      `The Docker engine at ${where} closed the connection (${typeof code === 'string' ? code : message}): it stopped or restarted during the run; check that it is running (docker info), then run again`,
      { cause: error },
    )
  }
  if (tls && isTlsFailure(code, message)) {
    // OpenSSL's messages span lines; its `reason` says it in a few words.
    const reason = (error as { reason?: unknown }).reason
    const why = (typeof reason === 'string' ? reason : message).replace(/\s+/g, ' ').trim()
    return new UserError(
      `The TLS connection to the Docker engine at ${where} failed (${why}): check the CA, client certificate and key in ${tls.origin}`,
      { cause: error },
    )
  }
  return new UserError(`The Docker engine at ${where} answered with an error: ${message}`, {
    cause: error,
  })
}

/** Where a client goes, and what the user changes to point it elsewhere. */
function describeClient(docker: Docker): { where: string; fix: string } {
  const address = addressOf(docker)
  const endpoint = endpointOf(docker)
  const where = describeEndpoint(address)
  if (!endpoint?.context) return { where, fix: 'point DOCKER_HOST at a running engine' }
  return {
    where,
    fix: `fix the Docker context "${endpoint.context}" (${endpoint.source}), or choose another engine with DOCKER_CONTEXT or DOCKER_HOST`,
  }
}

/**
 * OpenSSL and Node codes for a failed handshake; a server that refuses the client certificate
 * may also just reset the connection once the handshake is over (TLS 1.3).
 */
function isTlsFailure(code: unknown, message: string): boolean {
  return (
    (typeof code === 'string' &&
      /^(ERR_SSL_|ERR_TLS_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ECONNRESET$)/.test(
        code,
      )) ||
    /certificate|handshake|SSL routines|socket hang up/i.test(message)
  )
}

/** A connection the engine dropped: reset, hung up, or a body aborted half way. */
export function isCut(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code
  const message = error instanceof Error ? error.message : String(error)
  return (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    /^(aborted|socket hang up|premature close)$/i.test(message)
  )
}

/** By name: errors may come from another realm (jest) or a copy. */
function hasName(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && Reflect.get(error, 'name') === name
}

/**
 * A stream from the engine (an export) that failed while it was read: cut or stalled, it says
 * which stream broke off; an archive that was read whole but is malformed keeps its own message.
 */
export function streamError(error: unknown, docker: Docker, what: string): Error {
  if (error instanceof UserError) return error
  const silence = silenceOf(docker)
  if (silence?.dropped || !isCut(error)) return engineError(error, docker)
  const { where } = describeClient(docker)
  const code = (error as { code?: unknown } | undefined)?.code
  const reason = typeof code === 'string' ? code : error instanceof Error ? error.message : ''
  return new UserError(
    `The Docker engine at ${where} broke off ${what} (${reason}): it stopped or restarted during the run; check that it is running (docker info), then run again`,
    { cause: error },
  )
}
