import type Docker from 'dockerode'
import { UserError } from '../../util/errors.js'

/** HTTP status of a dockerode / docker-modem error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode
  return typeof status === 'number' ? status : undefined
}

/** Turns "connect ENOENT /var/run/docker.sock" into advice. */
export function engineError(error: unknown, docker: Docker): Error {
  const code = (error as { code?: unknown } | undefined)?.code
  const modem = docker.modem as {
    socketPath?: string
    host?: string
    port?: number
    protocol?: string
  }
  const scheme = modem.protocol === 'ssh' ? 'ssh' : 'tcp'
  const where = modem.socketPath
    ? `unix://${modem.socketPath}`
    : `${scheme}://${modem.host}:${modem.port}`
  if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EACCES' || code === 'ETIMEDOUT') {
    return new UserError(
      `Cannot reach the Docker engine at ${where} (${String(code)}): start dockerd, or point DOCKER_HOST at a running engine${code === 'EACCES' ? ' (or add the user to the docker group)' : ''}`,
      { cause: error },
    )
  }
  if (error instanceof UserError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new UserError(`The Docker engine at ${where} answered with an error: ${message}`, {
    cause: error,
  })
}
