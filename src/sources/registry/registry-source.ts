/**
 * Images read straight from a registry over the distribution API, no engine needed: manifest
 * (choosing a platform from an index), config, and, when asked, each layer blob streamed once to
 * count its content size.
 */
import type { ImageInfo, Platform } from '../../model/image.js'
import type { OciManifest } from '../../model/oci.js'
import {
  formatDockerReference,
  parseDockerReference,
  type DockerReference,
} from '../../model/reference.js'
import type { Logger } from '../../util/log.js'
import { UserError } from '../../util/errors.js'
import { ImageNotFoundError } from '../errors.js'
import { formatPlatform } from '../../model/image.js'
import { findCredentials, type CredentialOptions } from '../credentials/index.js'
import { fetchConfig } from './config-blob.js'
import { BlobReader } from './blob-reader.js'
import { fetchManifest, headManifestDigest, type FetchedManifest } from './manifests.js'
import {
  imageDescriptors,
  platformMatches,
  platformOf,
  runnerPlatform,
  selectPlatform,
} from '../oci/choose-platform.js'
import { RegistryClient } from './registry-client.js'
import { toRegistryImageInfo } from './registry-image.js'
import { createRegistryFetch } from './transport.js'

export interface RegistryOptions {
  credentials: CredentialOptions
  /**
   * Default: the global fetch, through the environment's proxy, with retries and resumable
   * bodies (see transport.ts). A fetch given here is used as it is.
   */
  fetch?: typeof fetch
  /** Registries (host[:port]) spoken to over plain http; loopback ones always are */
  insecureRegistries?: string[]
  log: Logger
}

export interface ReadRegistryOptions extends RegistryOptions {
  /** The image to read from a multi-platform index; default: linux on the runner's CPU */
  platform?: Platform
  /**
   * Stream every layer blob to count its content (basis `uncompressed`). Without it the
   * uncompressed figures stay undefined: a registry only knows compressed sizes.
   */
  measureContent: boolean
  /**
   * List every layer's entries (`Layer.listing`): every blob is streamed, whatever
   * `measureContent` says (whose figures stay as they are: none without it).
   */
  listFiles?: boolean
  /**
   * Reads the layer blobs; share one between the two images of a pair so a blob they share is
   * downloaded once. Default: one for this image.
   */
  blobs?: BlobReader
}

interface Target {
  ref: DockerReference
  client: RegistryClient
  /** `127.0.0.1:5000/isg/app:pr`, for messages */
  label: string
}

async function openTarget(reference: string, options: RegistryOptions): Promise<Target> {
  const ref = parseDockerReference(reference)
  if ('error' in ref) throw new UserError(ref.error)
  const client = new RegistryClient({
    registry: ref.registry,
    repository: ref.repository,
    // Looked up at the first challenge only, and for this registry only
    credentials: () => findCredentials(ref.registry, options.credentials, options.log),
    fetch: options.fetch ?? defaultFetch(options.log),
    insecureRegistries: options.insecureRegistries,
    log: options.log,
  })
  return { ref, client, label: formatDockerReference(ref) }
}

/** One default fetch per logger (a run has one): proxies announced once, one pool each. */
const defaultFetches = new WeakMap<Logger, typeof fetch>()

function defaultFetch(log: Logger): typeof fetch {
  let made = defaultFetches.get(log)
  if (!made) {
    made = createRegistryFetch({ log })
    defaultFetches.set(log, made)
  }
  return made
}

/** The reference's manifest or index: a tag is resolved to its digest with HEAD first. */
async function fetchTop(target: Target): Promise<FetchedManifest> {
  const { ref, client, label } = target
  const what = `image ${label}`
  const digest = ref.digest ?? (await headManifestDigest(client, ref.tag ?? 'latest', what))
  return fetchManifest(client, digest ?? ref.tag ?? 'latest', what)
}

/** The platform manifest for `wanted`: the image itself, or its entry in the index. */
async function resolveManifest(
  target: Target,
  wanted: Platform,
  log: Logger,
): Promise<{ manifest: OciManifest; digest: string; platform?: Platform }> {
  const top = await fetchTop(target)
  if (top.kind === 'manifest') return { manifest: top.manifest, digest: top.digest }
  const descriptor = selectPlatform(top.index, wanted, target.label)
  const what = `${formatPlatform(descriptor.platform)} image of ${target.label}`
  const chosen = await fetchManifest(target.client, descriptor.digest, what)
  if (chosen.kind !== 'manifest') throw new UserError(`${what} is an index inside an index`)
  log.info(
    `${target.label}: ${formatPlatform(descriptor.platform)} of ${imageDescriptors(top.index).length} platforms (index ${top.digest})`,
  )
  return { manifest: chosen.manifest, digest: chosen.digest, platform: descriptor.platform }
}

/**
 * Reads one image from its registry. Compressed sizes come from the manifest; uncompressed ones
 * only with `measureContent`. A reference the registry does not have is an `ImageNotFoundError`.
 */
export async function readRegistryImage(
  reference: string,
  options: ReadRegistryOptions,
): Promise<ImageInfo> {
  const started = Date.now()
  const target = await openTarget(reference, options)
  const wanted = options.platform ?? runnerPlatform()
  const resolved = await resolveManifest(target, wanted, options.log)
  const config = await fetchConfig(target.client, resolved.manifest.config, target.label)
  const platform = resolved.platform ?? platformOf(config)
  if (options.platform && platform && resolved.platform === undefined) {
    checkSinglePlatform(platform, options.platform, target.label)
  }
  options.log.debug(`${target.label}: manifest and config in ${Date.now() - started} ms`)
  const layers = resolved.manifest.layers
  const listFiles = options.listFiles ?? false
  const blobs =
    options.measureContent || listFiles
      ? await (options.blobs ?? new BlobReader({ list: listFiles })).readLayers(
          target.client,
          layers,
          options.log,
        )
      : undefined
  return toRegistryImageInfo({
    reference,
    registry: target.ref.registry,
    manifest: resolved.manifest,
    digest: resolved.digest,
    config,
    platform,
    contentBytes: options.measureContent ? blobs?.map((b) => b.contentBytes) : undefined,
    listings: listFiles ? blobs?.map((b) => b.listing) : undefined,
  })
}

/** An image that is not an index: asking for another platform than its own is an error. */
function checkSinglePlatform(offered: Platform, wanted: Platform, label: string): void {
  if (platformMatches(offered, wanted)) return
  throw new ImageNotFoundError(
    `${label} has no image for ${formatPlatform(wanted)}; it has ${formatPlatform(offered)}`,
  )
}

/**
 * The platforms a reference offers (attestations left out), for a multi-platform report. A
 * single-platform image gives its config's platform, or none when the config names none.
 */
export async function listPlatforms(
  reference: string,
  options: RegistryOptions,
): Promise<Platform[]> {
  const target = await openTarget(reference, options)
  const top = await fetchTop(target)
  if (top.kind === 'index') {
    return imageDescriptors(top.index).flatMap((d) => (d.platform ? [d.platform] : []))
  }
  const config = await fetchConfig(target.client, top.manifest.config, target.label)
  const platform = platformOf(config)
  return platform ? [platform] : []
}
