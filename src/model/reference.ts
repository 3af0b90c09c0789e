/**
 * Image references, as users write them, with skopeo's transport names making the source
 * explicit:
 *   docker://REF          a registry, read over HTTP, no engine needed
 *   docker-daemon:REF     the Docker engine, never pulls
 *   docker-archive:PATH[:REF]  a `docker save` tarball (REF: one of its RepoTags)
 *   oci-archive:PATH[:REF]     an OCI image layout tarball (REF: a ref name in its index)
 *   oci:DIR[:REF]              an OCI image layout directory
 * As in skopeo, the path ends at the first colon.
 *   REF                   (bare) the Docker engine, pulling from the registry when missing
 */
export type ImageSourceRef =
  | { transport: 'engine'; reference: string; pull: boolean }
  | { transport: 'registry'; reference: string }
  | { transport: 'docker-archive' | 'oci-archive' | 'oci'; path: string; ref?: string }

export interface DockerReference {
  /** Registry host[:port]; `docker.io` for Docker Hub */
  registry: string
  /** Repository path, `library/` made explicit on Docker Hub */
  repository: string
  tag?: string
  digest?: string
}

export const DOCKER_HUB = 'docker.io'

const NAME_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
/** go-digest's algorithms, as `docker pull` checks a digest: lowercase hex of the right length */
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/
/** A registry: DNS name, IPv4 or [IPv6], then an optional port (distribution/reference's domain) */
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const DOMAIN = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::([0-9]+))?$`,
)
/** Docker's limit on a name, registry included */
const NAME_MAX = 255

/** User text quoted in a message: escaped, on one line, and not longer than a line. */
function quote(text: string): string {
  const cut = text.length > 80 ? `${text.slice(0, 80)}…` : text
  return JSON.stringify(cut).replace(
    /[\u007f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16)}`,
  )
}

export const REFERENCE_EXPECTED =
  'an image reference such as app:1.2, ghcr.io/org/app:pr-7, app@sha256:…, or a transport form docker://REF, docker-daemon:REF, docker-archive:PATH[:REF], oci-archive:PATH[:REF], oci:DIR[:REF]'

/** Parses a source reference; returns an error text when it is not one. */
export function parseSourceRef(text: string): ImageSourceRef | { error: string } {
  const value = text.trim()
  const transport = /^(docker|docker-daemon|docker-archive|oci-archive|oci):(.*)$/.exec(value)
  if (!transport) {
    return 'error' in parseDockerReference(value)
      ? { error: REFERENCE_EXPECTED }
      : { transport: 'engine', reference: value, pull: true }
  }
  const [, name, rest] = transport
  if (rest === '') return { error: `${REFERENCE_EXPECTED}; nothing follows "${name}:"` }
  switch (name) {
    case 'docker': {
      if (!rest.startsWith('//'))
        return { error: `docker://REF (two slashes), ${REFERENCE_EXPECTED}` }
      const reference = rest.slice(2)
      const parsed = parseDockerReference(reference)
      return 'error' in parsed ? parsed : { transport: 'registry', reference }
    }
    case 'docker-daemon': {
      const parsed = parseDockerReference(rest)
      return 'error' in parsed ? parsed : { transport: 'engine', reference: rest, pull: false }
    }
    default: {
      const transport = name as 'docker-archive' | 'oci-archive' | 'oci'
      const colon = rest.indexOf(':')
      if (colon < 0) return { transport, path: rest }
      const [path, ref] = [rest.slice(0, colon), rest.slice(colon + 1)]
      if (path === '' || ref === '')
        return { error: `${REFERENCE_EXPECTED}; ${quote(value)} has an empty path or name` }
      return { transport, path, ref }
    }
  }
}

/** Parses `[registry/]path[:tag][@digest]` the way the Docker CLI normalises it. */
export function parseDockerReference(text: string): DockerReference | { error: string } {
  const fail = (why: string) => ({ error: `${REFERENCE_EXPECTED}; ${why}` })
  let rest = text.trim()
  if (rest === '') return fail('it is empty')
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!DIGEST.test(digest))
      return fail(`${quote(digest)} is not a digest (sha256: and 64 lowercase hex digits)`)
  }
  let tag: string | undefined
  const lastColon = rest.lastIndexOf(':')
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1)
    rest = rest.slice(0, lastColon)
    if (!TAG.test(tag)) return fail(`${quote(tag)} is not a valid tag`)
  }
  if (rest.length > NAME_MAX) return fail(`the name is longer than ${NAME_MAX} characters`)
  const parts = rest.split('/')
  let registry = DOCKER_HUB
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0])) {
    registry = parts.shift() as string
    const port = DOMAIN.exec(registry)?.[1]
    if (!DOMAIN.test(registry) || (port !== undefined && Number(port) > 65535) || !hostOk(registry))
      return fail(`${quote(registry)} is not a registry host[:port]`)
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB
  if (!parts.every((p) => NAME_COMPONENT.test(p))) {
    return fail(
      `${quote(parts.join('/'))} is not a repository name (lowercase letters, digits, . _ - and /)`,
    )
  }
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library')
  return {
    registry,
    repository: parts.join('/'),
    tag: tag ?? (digest ? undefined : 'latest'),
    digest,
  }
}

/** An [IPv6] registry must be an address URLs take (no zone, the right number of groups). */
function hostOk(registry: string): boolean {
  if (!registry.startsWith('[')) return true
  try {
    return new URL(`https://${registry}/`).host !== ''
  } catch {
    return false
  }
}

/** The reference written back out, fully qualified. */
export function formatDockerReference(ref: DockerReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`
}
