import type Docker from 'dockerode'
import type { Readable } from 'node:stream'
import type { ImageInfo } from '../../model/image.js'
import type { Logger } from '../../util/log.js'
import { UserError } from '../../util/errors.js'
import { readImageArchive, type ArchiveContents } from '../archive/read-archive.js'
import { selectArchiveImage } from '../archive/choose-archive-image.js'
import { toImageInfo } from '../archive/to-image-info.js'
import type { ArchiveImage } from '../archive/types.js'
import { platformMatches } from '../../model/platform.js'
import { engineError, streamError } from './engine-errors.js'
import type { EngineOrigin } from './engine-info.js'

type Known = Pick<ImageInfo, 'reference' | 'id' | 'digest' | 'platform'> & { origin: EngineOrigin }

/**
 * Measures an engine image from the stream of `docker save` (GET /images/{name}/get), one pass,
 * nothing written to disk. Used on the containerd store, and on overlay2 when `docker history`
 * cannot be paired with the layers.
 */
export async function readEngineExport(
  docker: Docker,
  reference: string,
  known: Known,
  log: Logger,
): Promise<ImageInfo> {
  log.info(`${reference}: measuring the layer content from the engine's image export`)
  let stream: Readable
  try {
    stream = (await docker.getImage(known.id ?? reference).get()) as Readable
  } catch (error) {
    throw engineError(error, docker)
  }
  const label = `the export of ${reference}`
  const contents = await readImageArchive(stream, { label, verifyDigests: false }).catch(
    (error: unknown) => {
      throw streamError(error, docker, label)
    },
  )
  const image = selectArchiveImage(contents, `The export of ${reference}`, {
    platform: known.platform,
  })
  return exportedImageInfo(image, known)
}

/** An image of an export as the model, with what inspect said winning over the archive. */
export function exportedImageInfo(image: ArchiveImage, known: Known): ImageInfo {
  const info = toImageInfo(image, known.reference, known.origin)
  return {
    ...info,
    id: known.id,
    digest: known.digest ?? info.digest,
    platform: known.platform ?? info.platform,
  }
}

/** dockerode has `getImages` (GET /images/get), its type declarations do not */
interface SavesSeveral {
  getImages(options: { names: string[] }): Promise<Readable>
}

/**
 * One `docker save` of several images (GET /images/get?names=A&names=B): a layer they share is
 * in the stream once, measured and listed once. `names` are image IDs, so the images can be
 * told apart in the archive whatever their tags.
 */
export async function exportEngineImages(
  docker: Docker,
  names: string[],
  label: string,
): Promise<ArchiveContents> {
  let stream: Readable
  try {
    stream = await (docker as unknown as SavesSeveral).getImages({ names })
  } catch (error) {
    throw engineError(error, docker)
  }
  return readImageArchive(stream, { label, list: true, verifyDigests: false }).catch(
    (error: unknown) => {
      throw streamError(error, docker, label)
    },
  )
}

/**
 * The image of a several-image export that inspect described: by ID (the config digest on
 * overlay2, the manifest digest on the containerd store), else by its diff ids and platform
 * (an image whose ID is an index digest).
 */
export function findExportedImage(
  contents: ArchiveContents,
  known: Known,
  diffIds: string[],
): ArchiveImage {
  const byId = contents.images.find(
    (i) => i.id === known.id || i.manifestDescriptor?.digest === known.id,
  )
  if (byId) return byId
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((d, i) => d === b[i])
  const byLayers = contents.images.find(
    (i) =>
      same(i.config.rootfs.diff_ids, diffIds) &&
      (!known.platform || !i.platform || platformMatches(i.platform, known.platform)),
  )
  if (byLayers) return byLayers
  throw new UserError(`The engine's export has no image ${known.id ?? ''} for ${known.reference}`)
}
