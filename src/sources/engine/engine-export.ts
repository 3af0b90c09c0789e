import type Docker from 'dockerode'
import type { Readable } from 'node:stream'
import type { ImageInfo } from '../../model/image.js'
import type { Logger } from '../../util/log.js'
import { readImageArchive } from '../archive/read-archive.js'
import { selectArchiveImage } from '../archive/choose-archive-image.js'
import { toImageInfo } from '../archive/to-image-info.js'
import { engineError } from './engine-errors.js'
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
  const contents = await readImageArchive(stream, { label: `the export of ${reference}` })
  const image = selectArchiveImage(contents, `The export of ${reference}`, {
    platform: known.platform,
  })
  const info = toImageInfo(image, reference, known.origin)
  return {
    ...info,
    id: known.id,
    digest: known.digest ?? info.digest,
    platform: known.platform ?? info.platform,
  }
}
