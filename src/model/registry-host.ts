/**
 * Registry names as hosts: `host[:port]`, lower-cased, Docker Hub's aliases folded into
 * `docker.io` (the Docker CLI's `ConvertToHostname` strips the scheme and any path too), and
 * which of them are loopback.
 * https://github.com/docker/cli/blob/master/cli/config/credentials/file_store.go
 */
import { DOCKER_HUB } from './reference.js'

/** Names `docker login` and `docker/login-action` accept for Docker Hub */
const HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io'])

const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/

/**
 * `https://ghcr.io/v2/` → `ghcr.io`, `index.docker.io` → `docker.io`; undefined when what is
 * left is not a host[:port].
 */
export function normalizeRegistry(text: string): string | undefined {
  const host = text
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/\/.*$/, '')
  if (!HOST.test(host)) return undefined
  return HUB_ALIASES.has(host) ? DOCKER_HUB : host
}

/** The host name without port, brackets removed from IPv6 literals */
function hostName(registry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(registry)
  if (bracketed) return bracketed[1]
  return registry.replace(/:\d+$/, '')
}

/** 127.0.0.0/8, ::1, localhost and *.localhost (RFC 6761 keeps those on loopback). */
export function isLoopback(registry: string): boolean {
  const host = hostName(registry).toLowerCase()
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127(?:\.\d{1,3}){3}$/.test(host)
  )
}

/** Whether credentials may travel to `url`: over HTTPS, or to a loopback host. */
export function isSafeForCredentials(url: URL): boolean {
  return url.protocol === 'https:' || isLoopback(url.host)
}
