/**
 * Where a registry's HTTP API lives. Registries speak HTTPS, except on loopback and on hosts the
 * user lists as insecure, which the Docker engine also talks to over plain HTTP.
 * https://docs.docker.com/reference/cli/dockerd/#insecure-registries
 */
import { DOCKER_HUB } from '../../model/reference.js'

/** Docker Hub's API host; `docker.io` itself only redirects to the website */
export const DOCKER_HUB_API = 'registry-1.docker.io'

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

/** `https://host[:port]` (or `http://` for loopback and insecure hosts), without a slash. */
export function registryBaseUrl(registry: string, insecureRegistries: string[] = []): string {
  const host = registry === DOCKER_HUB ? DOCKER_HUB_API : registry
  const plain = isLoopback(host) || insecureRegistries.includes(registry)
  return `${plain ? 'http' : 'https'}://${host}`
}
