import { createHash } from 'node:crypto'

/** A fetch that answers from a route table and records every request, for unit tests. */
export interface SeenRequest {
  url: string
  method: string
  headers: Record<string, string>
}

export type Handler = (request: SeenRequest) => Response | Promise<Response>

/** Answers instead of the route (an auth challenge), or lets it through with undefined. */
export type Guard = (request: SeenRequest) => Response | undefined

export interface FakeFetch {
  fetch: typeof fetch
  requests: SeenRequest[]
}

/**
 * Routes are keyed `METHOD url-without-query`; anything else answers 404. A HEAD without a route
 * of its own is answered as a registry answers it: the GET route's status and headers (the
 * handler sees the HEAD, so guards challenge it too), and no body.
 */
export function fakeFetch(routes: Record<string, Handler>): FakeFetch {
  const requests: SeenRequest[] = []
  const fetchFn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString()
    const headers: Record<string, string> = {}
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value
    })
    const request = { url, method: init?.method ?? 'GET', headers }
    requests.push(request)
    const route = (method: string) => routes[`${method} ${url.replace(/\?.*$/, '')}`]
    const handler = route(request.method) ?? (request.method === 'HEAD' ? route('GET') : undefined)
    const response = handler
      ? await handler(request)
      : new Response('{"errors":[]}', { status: 404 })
    return request.method === 'HEAD' ? withoutBody(response) : response
  }
  return { fetch: fetchFn, requests }
}

/** The same status and headers, no body: what a HEAD gets. */
async function withoutBody(response: Response): Promise<Response> {
  await response.body?.cancel()
  const { status, statusText, headers } = response
  return new Response(null, { status, statusText, headers })
}

export function sha256(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

export function bytesResponse(
  body: string | Buffer,
  headers: Record<string, string> = {},
  status = 200,
): Response {
  return new Response(body, { status, headers })
}

export function challenge(header: string): Response {
  return bytesResponse('{"errors":[{"code":"UNAUTHORIZED"}]}', { 'www-authenticate': header }, 401)
}

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json'

export interface FakeImage {
  config: string
  configDigest: string
  manifest: string
  manifestDigest: string
}

/** A two-layer image (plus one metadata step), as JSON text and digests. */
export function fakeImage(architecture = 'amd64', mediaType: string | undefined = OCI_MANIFEST) {
  const diffIds = [`sha256:${'a'.repeat(64)}`, `sha256:${'b'.repeat(64)}`]
  const config = JSON.stringify({
    architecture,
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: [
      { created_by: 'COPY rootfs /' },
      { created_by: 'ENV A=1', empty_layer: true },
      { created_by: 'RUN make' },
    ],
  })
  const layer = (n: string, size: number) => ({
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    digest: `sha256:${n.repeat(64)}`,
    size,
  })
  const manifest = JSON.stringify({
    schemaVersion: 2,
    ...(mediaType ? { mediaType } : {}),
    config: { mediaType: OCI_CONFIG, digest: sha256(config), size: config.length },
    layers: [layer('1', 1000), layer('2', 2000)],
  })
  return { config, configDigest: sha256(config), manifest, manifestDigest: sha256(manifest) }
}
