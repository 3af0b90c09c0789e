/**
 * Which registry the `registry-username` / `registry-password` inputs belong to. Like
 * docker/login-action, they are a login to one registry: the `registry` input names it, or,
 * without it, the one registry every image the run pulls is on. Credentials for a registry
 * reached over plain HTTP (insecure-registries) would travel in clear text: refused, except on
 * loopback.
 */
import { parseDockerReference, type ImageSourceRef } from '../../model/reference.js'
import { isLoopback, normalizeRegistry } from '../../model/registry-host.js'

export interface BindRequest {
  /** The `registry` input as written; '' when not set */
  registry: string
  /** Whether both registry-username and registry-password are set */
  hasCredentials: boolean
  /** Whether one of them is set (the other one's absence is reported elsewhere) */
  hasEither: boolean
  /** The images of the run that are known before any build */
  images: Array<ImageSourceRef | undefined>
  insecureRegistries: string[]
}

const HOST_EXPECTED = 'a registry host such as ghcr.io, docker.io or registry.example.com:5000'

/** The registry for the input credentials (undefined: no image is pulled), or what is wrong. */
export function bindCredentials(request: BindRequest): { registry?: string } | { error: string } {
  const text = request.registry.trim()
  if (text !== '' && !request.hasEither) {
    return {
      error:
        'to be set only with registry-username and registry-password (it names the registry they are for)',
    }
  }
  if (!request.hasCredentials) return {}
  let registry: string | undefined
  if (text !== '') {
    registry = normalizeRegistry(text)
    if (registry === undefined) return { error: HOST_EXPECTED }
  } else {
    const registries = [...new Set(request.images.flatMap(pulledRegistry))]
    if (registries.length > 1) {
      return {
        error: `the registry that registry-username and registry-password are for, because the images are on several registries (${registries.join(', ')}) and credentials are sent to one only`,
      }
    }
    registry = registries[0]
    if (registry === undefined) return {}
  }
  const insecure = request.insecureRegistries.map((r) => normalizeRegistry(r) ?? r)
  if (insecure.includes(registry) && !isLoopback(registry)) {
    return {
      error: `a registry reached over HTTPS: ${registry} is listed in insecure-registries, and credentials are never sent over plain HTTP (except to loopback)`,
    }
  }
  return { registry }
}

/**
 * The registry an image is pulled from, if it may be: docker:// and bare engine references.
 * Archives, OCI layouts and `docker-daemon:` images are read locally, so they do not count.
 */
function pulledRegistry(ref: ImageSourceRef | undefined): string[] {
  if (!ref || !(ref.transport === 'registry' || (ref.transport === 'engine' && ref.pull))) {
    return []
  }
  const parsed = parseDockerReference(ref.reference)
  return 'error' in parsed ? [] : [normalizeRegistry(parsed.registry) ?? parsed.registry]
}
