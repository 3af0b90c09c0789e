import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer } from 'node:http'
import { join } from 'node:path'
import type { Logger } from '../../src/util/log.js'
import { dockerCli, type TestEngine } from './engines.js'
import type { OciDescriptor, OciManifest } from '../../src/model/oci.js'

/**
 * Talking to the testbed's registries the plain way (docker CLI, raw HTTP), to check what the
 * registry source reads against what the registry itself says.
 */

export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ')

/** The spec's shapes, as the tests read them straight from the registry. */
export type RawDescriptor = OciDescriptor
export type RawManifest = OciManifest

export interface FetchedRaw<T> {
  json: T
  body: Buffer
  digest: string
  contentType: string
}

export function sha256(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

function authHeader(auth?: { user: string; pass: string }): Record<string, string> {
  return auth
    ? { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.pass}`).toString('base64')}` }
    : {}
}

/** GET /v2/<repo>/manifests/<ref> with every manifest type accepted. */
export async function getManifest<T = RawManifest>(
  registry: string,
  repository: string,
  ref: string,
  auth?: { user: string; pass: string },
): Promise<FetchedRaw<T>> {
  const response = await fetch(`http://${registry}/v2/${repository}/manifests/${ref}`, {
    headers: { accept: MANIFEST_TYPES, ...authHeader(auth) },
  })
  if (!response.ok) throw new Error(`GET manifest ${repository}:${ref}: ${response.status}`)
  const body = Buffer.from(await response.arrayBuffer())
  return {
    json: JSON.parse(body.toString('utf8')) as T,
    body,
    digest: response.headers.get('docker-content-digest') ?? sha256(body),
    contentType: response.headers.get('content-type') ?? '',
  }
}

export async function getBlob(registry: string, repository: string, digest: string) {
  const response = await fetch(`http://${registry}/v2/${repository}/blobs/${digest}`)
  if (!response.ok) throw new Error(`GET blob ${digest}: ${response.status}`)
  return Buffer.from(await response.arrayBuffer())
}

/** Monolithic upload: POST an upload session, then PUT the bytes with `?digest=`. */
export async function uploadBlob(
  registry: string,
  repository: string,
  bytes: Buffer,
  mediaType: string,
): Promise<RawDescriptor> {
  const digest = sha256(bytes)
  const start = await fetch(`http://${registry}/v2/${repository}/blobs/uploads/`, {
    method: 'POST',
  })
  const location = start.headers.get('location')
  if (start.status !== 202 || !location) throw new Error(`POST upload: ${start.status}`)
  const url = new URL(location, `http://${registry}`)
  url.searchParams.set('digest', digest)
  const put = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    body: bytes,
  })
  if (put.status !== 201) throw new Error(`PUT blob: ${put.status} ${await put.text()}`)
  return { mediaType, digest, size: bytes.length }
}

/** PUT a manifest or index under a tag (or its digest); returns its descriptor. */
export async function putManifest(
  registry: string,
  repository: string,
  ref: string | undefined,
  mediaType: string,
  document: object,
): Promise<RawDescriptor> {
  const body = Buffer.from(JSON.stringify(document))
  const digest = sha256(body)
  const response = await fetch(`http://${registry}/v2/${repository}/manifests/${ref ?? digest}`, {
    method: 'PUT',
    headers: { 'content-type': mediaType },
    body,
  })
  if (response.status !== 201) {
    throw new Error(`PUT manifest ${ref ?? digest}: ${response.status} ${await response.text()}`)
  }
  return { mediaType, digest, size: body.length }
}

/** A throwaway docker CLI config dir, so `docker login` does not touch the machine's. */
export function tempDockerConfig(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'isg-registry-config-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Tags and pushes a local image to `target` (registry/repo:tag) with the engine's CLI. */
export function pushImage(
  engine: TestEngine,
  configDir: string,
  source: string,
  target: string,
): void {
  dockerCli(engine, ['--config', configDir, 'tag', source, target])
  dockerCli(engine, ['--config', configDir, 'push', target])
  dockerCli(engine, ['--config', configDir, 'rmi', target])
}

export function dockerLogin(
  engine: TestEngine,
  configDir: string,
  registry: string,
  auth: {
    user: string
    pass: string
  },
): void {
  dockerCli(engine, ['--config', configDir, 'login', registry, '-u', auth.user, '-p', auth.pass])
}

/** A logger that keeps every line, for assertions. */
export function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(`info: ${m}`),
    warning: (m) => lines.push(`warning: ${m}`),
  }
}

/** Credentials that ignore the machine's Docker config. */
export const NO_CONFIG = { dockerConfigDir: join(tmpdir(), 'isg-no-docker-config') }

/** A loopback port nothing listens on (taken, then given back). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}
