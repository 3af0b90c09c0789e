import { UserError } from '../../util/errors.js'

/** The socket the docker CLI talks to when nothing else is set (Linux, macOS). */
export const DEFAULT_SOCKET = 'unix:///var/run/docker.sock'
/** Defaults of the CLI's `opts.ParseHost`: plain TCP on 2375, TLS on 2376. */
const DEFAULT_TCP_HOST = 'tcp://localhost:2375'
export const DEFAULT_TLS_HOST = 'tcp://localhost:2376'

/** An engine address, split the way the client needs it. */
export type HostAddress =
  | { scheme: 'unix'; path: string }
  | { scheme: 'tcp'; host: string; port: number }
  | { scheme: 'ssh'; host: string; port: number; username?: string; password?: string }

/**
 * DOCKER_HOST as the docker CLI normalises it (`opts.ParseHost`): surrounding spaces dropped,
 * no scheme means tcp, `tcp://` alone or a missing port means localhost / 2375, `unix://`
 * alone the default socket. Returns the normalised address text.
 * https://github.com/docker/cli/blob/master/opts/hosts.go
 */
export function normaliseDockerHost(value: string): string {
  const text = value.trim()
  const scheme = text.includes('://') ? text.slice(0, text.indexOf('://')) : 'tcp'
  const rest = text.includes('://') ? text.slice(text.indexOf('://') + 3) : text
  switch (scheme) {
    case 'unix':
      if (rest.includes('://')) throw badHost(value, 'a unix:// socket path')
      return `unix://${rest || DEFAULT_SOCKET.slice('unix://'.length)}`
    case 'tcp': {
      if (rest === '') return DEFAULT_TCP_HOST
      if (rest.includes('://')) throw badHost(value, 'tcp://HOST:PORT')
      const url = tryUrl(`tcp://${rest}`)
      if (!url || !url.hostname) throw badHost(value, 'tcp://HOST:PORT')
      return `tcp://${url.hostname}:${url.port || '2375'}${url.pathname === '/' ? '' : url.pathname}`
    }
    case 'ssh':
      return text
    default:
      throw badHost(value, 'unix://PATH, tcp://HOST:PORT or ssh://[USER@]HOST[:PORT]')
  }
}

/**
 * Splits a normalised address (or a context's `Host`) into what the client dials. A context's
 * tcp host without a port gets `defaultTcpPort` (the CLI's HTTP client uses 80 or 443). A path
 * after a tcp host (an API behind a prefix) is not supported.
 */
export function parseHostAddress(
  host: string,
  describe: string,
  defaultTcpPort?: number,
): HostAddress {
  if (host.startsWith('unix://')) return { scheme: 'unix', path: host.slice('unix://'.length) }
  const url = tryUrl(host)
  if (url && (url.protocol === 'tcp:' || url.protocol === 'ssh:') && url.hostname) {
    if (url.protocol === 'tcp:' && url.pathname !== '/' && url.pathname !== '') {
      throw new UserError(
        `${describe} is ${displayHost(host)}: engine addresses with a path are not supported; use tcp://HOST:PORT`,
      )
    }
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1')
    if (url.protocol === 'ssh:') {
      return {
        scheme: 'ssh',
        host: hostname,
        port: Number(url.port || 22),
        username: url.username ? decodeURIComponent(url.username) : undefined,
        password: url.password ? decodeURIComponent(url.password) : undefined,
      }
    }
    const port = Number(url.port || defaultTcpPort)
    if (port) return { scheme: 'tcp', host: hostname, port }
  }
  throw new UserError(
    `${describe} is ${displayHost(host)}, expected unix://PATH, tcp://HOST:PORT or ssh://[USER@]HOST[:PORT] (npipe:// and fd:// are not supported)`,
  )
}

/** The address without user name or password: what reports and messages may show. */
export function displayHost(host: string): string {
  return host.replace(/^([a-z]+:\/\/)[^@/]*@/i, '$1')
}

function tryUrl(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

function badHost(value: string, expected: string): UserError {
  return new UserError(`DOCKER_HOST is "${displayHost(value)}", expected ${expected}`)
}
