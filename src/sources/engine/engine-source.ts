import Docker from 'dockerode'
import type { ImageInfo, Layer, Platform } from '../../model/image.js'
import { formatPlatform } from '../../model/image.js'
import { pairHistory, type HistoryStep } from '../../model/pair-history.js'
import { platformMatches } from '../../model/platform.js'
import { parseDockerReference } from '../../model/reference.js'
import { UserError } from '../../util/errors.js'
import type { Logger } from '../../util/log.js'
import { findCredentials, type CredentialOptions } from '../credentials/index.js'
import { ImageNotFoundError } from '../errors.js'
import { createDockerClient, silenceOf } from './docker-client.js'
import { engineError, isCut, statusOf, streamError } from './engine-errors.js'
import { checkHistory, checkInspect, type InspectInfo } from './engine-shapes.js'
import { readEngineOrigin, type EngineOrigin } from './engine-info.js'
import { pullImage } from './pull.js'
import { resolveRunEndpoint } from './resolve-endpoint.js'

export interface EngineSourceOptions {
  log: Logger
  credentials: CredentialOptions
  docker?: Docker
  /** Pull the image when the engine does not have it */
  pull: boolean
  /** The platform the image must be (pulled as); default: whatever the engine has */
  platform?: Platform
  /** List every layer's entries (`Layer.listing`) from the engine's export */
  listFiles?: boolean
}

/** What inspect and history say of one engine image, before any export. */
export interface InspectedImage {
  reference: string
  /** The fields of the `ImageInfo` that inspect gives */
  known: Pick<ImageInfo, 'reference' | 'id' | 'digest' | 'platform' | 'env'> & {
    origin: EngineOrigin
  }
  /** inspect's RootFS.Layers: the diff ids, base first */
  diffIds: string[]
  /** overlay2: `docker history` paired with the layers (sizes and steps), or why it cannot be */
  history?: { ok: true; layers: Layer[] } | { ok: false; reason: string }
}

/**
 * Reads an image from the Docker engine. On the overlay2 store `docker history` sizes are the
 * content size, so inspect + history is enough. On the containerd store history reports
 * block-rounded disk usage, so the layer content is measured from `docker save`'s stream
 * (which also gives the compressed blob sizes the store keeps). With `listFiles` every layer
 * is listed from the export (read-engine-images.ts), the figures staying these.
 */
export async function readEngineImage(
  reference: string,
  options: EngineSourceOptions,
): Promise<ImageInfo> {
  if (options.listFiles) {
    const { readEngineImages } = await import('./read-engine-images.js')
    return readEngineImages([{ reference, pull: options.pull }], options)[0]
  }
  const docker = engineClient(options)
  const image = await inspectEngineImage(docker, reference, options)
  if (image.history?.ok) return fromHistory(image, image.history.layers)
  if (image.history) {
    options.log.info(`${reference}: ${image.history.reason}; measuring the layer content instead`)
  }
  // Loaded on first use: the overlay2 fast path never needs the archive reader.
  const { readEngineExport } = await import('./engine-export.js')
  return readEngineExport(docker, reference, image.known, options.log)
}

/** The image as inspect and the paired history give it (overlay2). */
export function fromHistory(image: InspectedImage, layers: Layer[]): ImageInfo {
  return { ...image.known, sizeOrigin: 'history', layers, notes: [] }
}

/** The client `options` names, else the run's default one. */
export function engineClient(options: Pick<EngineSourceOptions, 'docker' | 'log'>): Docker {
  return options.docker ?? defaultDocker(options.log)
}

/**
 * Inspects (pulling if allowed and needed) one image, and on overlay2 pairs its history. A
 * missing image is an `ImageNotFoundError`, an unreachable engine a `UserError`.
 */
export async function inspectEngineImage(
  docker: Docker,
  reference: string,
  options: EngineSourceOptions,
): Promise<InspectedImage> {
  const origin = await readEngineOrigin(docker).catch((error: unknown) => {
    throw engineError(error, docker)
  })
  const inspect = await inspectOrPull(docker, reference, options)
  const known = {
    reference,
    id: inspect.Id,
    digest: inspect.RepoDigests?.[0]?.split('@')[1],
    platform:
      inspect.Os && inspect.Architecture
        ? { os: inspect.Os, architecture: inspect.Architecture, variant: inspect.Variant }
        : undefined,
    origin,
    env: inspect.Config?.Env ?? undefined,
  }
  checkPlatform(reference, known.platform, options.platform)
  const image: InspectedImage = { reference, known, diffIds: inspect.RootFS?.Layers ?? [] }
  if (origin.store === 'overlay2') image.history = await readHistoryLayers(docker, inspect)
  return image
}

/** An engine keeps one platform per tag: comparing another one would compare the wrong image. */
function checkPlatform(
  reference: string,
  actual: Platform | undefined,
  wanted: Platform | undefined,
) {
  if (!wanted || !actual) return
  if (!platformMatches(actual, wanted)) {
    throw new ImageNotFoundError(
      `${reference} in the Docker engine is ${formatPlatform(actual)}, not ${formatPlatform(wanted)}; for several platforms use docker:// (registry) or oci: references`,
    )
  }
}

let sharedDocker: Docker | undefined

/**
 * One client for the run, for the engine the docker CLI would use (DOCKER_HOST, DOCKER_CONTEXT,
 * the config's currentContext, the default socket); made on first use.
 */
function defaultDocker(log: Logger): Docker {
  sharedDocker ??= createDockerClient(resolveRunEndpoint(log))
  return sharedDocker
}

async function inspectOrPull(
  docker: Docker,
  reference: string,
  options: EngineSourceOptions,
): Promise<InspectInfo> {
  const found = await tryInspect(docker, reference)
  if (found) return found
  if (!options.pull) {
    throw new ImageNotFoundError(
      `Image ${reference} is not in the Docker engine (docker-daemon: references are never pulled)`,
    )
  }
  const parsed = parseDockerReference(reference)
  if ('error' in parsed) throw new UserError(parsed.error)
  // The login for this image's own registry, and no other registry's
  const credentials = await findCredentials(parsed.registry, options.credentials, options.log)
  try {
    await pullImage(
      docker,
      reference,
      credentials,
      options.log,
      options.platform && formatPlatform(options.platform),
    )
  } catch (error) {
    // the engine itself went away or went silent mid-pull: say so, naming it
    if (!(error instanceof UserError) && (isCut(error) || silenceOf(docker)?.dropped))
      throw streamError(error, docker, `the pull of ${reference}`)
    throw pullError(error, reference, parsed.registry)
  }
  const pulled = await tryInspect(docker, reference)
  if (!pulled) throw new UserError(`Image ${reference} was pulled but the engine cannot inspect it`)
  return pulled
}

async function tryInspect(docker: Docker, reference: string): Promise<InspectInfo | undefined> {
  let answer: unknown
  try {
    answer = await docker.getImage(reference).inspect()
  } catch (error) {
    if (statusOf(error) === 404) return undefined
    throw engineError(error, docker)
  }
  return checkInspect(answer, reference)
}

function pullError(error: unknown, reference: string, registry: string): Error {
  if (error instanceof UserError) {
    return /not found|manifest unknown|does not exist/i.test(error.message)
      ? new ImageNotFoundError(error.message)
      : error
  }
  const status = statusOf(error)
  const message =
    error instanceof Error
      ? error.message.replace(/^\(HTTP code \d+\)\s*/, '').trim()
      : String(error)
  if (status === 404 || /not found|manifest unknown/i.test(message)) {
    return new ImageNotFoundError(
      `Image ${reference} is neither in the engine nor in ${registry}: ${message}`,
    )
  }
  if (/denied|unauthorized|authentication required|no basic auth credentials/i.test(message)) {
    return new UserError(
      `Pulling ${reference} was denied by ${registry}: ${message}. Set registry-username and registry-password, or run docker/login-action before this step`,
    )
  }
  return new UserError(`Pulling ${reference} from ${registry} failed: ${message}`)
}

/** Pairs `docker history` (newest first) with RootFS.Layers; sizes are the history's. */
async function readHistoryLayers(
  docker: Docker,
  inspect: InspectInfo,
): Promise<{ ok: true; layers: Layer[] } | { ok: false; reason: string }> {
  const answer: unknown = await docker
    .getImage(inspect.Id)
    .history()
    .catch((error: unknown) => {
      throw engineError(error, docker)
    })
  const history = checkHistory(answer, inspect.Id)
  const steps: HistoryStep[] = history
    .slice()
    .reverse()
    .map((h) => ({ createdBy: h.CreatedBy ?? '', size: h.Size ?? 0 }))
  const pairing = pairHistory(steps, inspect.RootFS?.Layers ?? [])
  if (!pairing.ok) return pairing
  return {
    ok: true,
    layers: pairing.layers.map((p) => ({
      diffId: p.diffId,
      instruction: p.instruction,
      uncompressedBytes: p.step === undefined ? undefined : steps[p.step].size,
    })),
  }
}
