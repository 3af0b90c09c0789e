/**
 * Where a registry's HTTP API lives. Registries speak HTTPS, except on loopback and on hosts the
 * user lists as insecure, which the Docker engine also talks to over plain HTTP.
 * https://docs.docker.com/reference/cli/dockerd/#insecure-registries
 */
import { DOCKER_HUB } from '../../model/reference.js'
import { isLoopback } from '../../model/registry-host.js'

/** Docker Hub's API host; `docker.io` itself only redirects to the website */
export const DOCKER_HUB_API = 'registry-1.docker.io'

/** `https://host[:port]` (or `http://` for loopback and insecure hosts), without a slash. */
export function registryBaseUrl(registry: string, insecureRegistries: string[] = []): string {
  const host = registry === DOCKER_HUB ? DOCKER_HUB_API : registry
  const plain = isLoopback(host) || insecureRegistries.includes(registry)
  return `${plain ? 'http' : 'https'}://${host}`
}
