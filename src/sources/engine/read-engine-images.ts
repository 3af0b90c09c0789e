/**
 * Engine images with every layer listed, from ONE export of all of them: `docker save A B`
 * (GET /images/get?names=A&names=B) writes a layer that A and B share once, so it is streamed,
 * measured and listed once, and both images hold the same listing object. The figures stay
 * those of the plain read: overlay2's `docker history` sizes and steps where they pair, else the
 * export's (as on the containerd store).
 */
import type Docker from 'dockerode'
import type { ImageInfo } from '../../model/image.js'
import type { Logger } from '../../util/log.js'
import type { ArchiveContents, ArchiveImage } from '../archive/types.js'
import {
  engineClient,
  fromHistory,
  inspectEngineImage,
  type EngineSourceOptions,
  type InspectedImage,
} from './engine-source.js'
import { exportedImageInfo, exportEngineImages, findExportedImage } from './engine-export.js'

/** One image to read: its reference, and whether it may be pulled when the engine lacks it. */
export interface EngineRequest {
  reference: string
  pull: boolean
}

/**
 * Reads `requests` (one or two images) from one engine, listing every layer. One promise per
 * request, in order; each settles on its own, so a missing base image does not hide the PR
 * image's own error and the other way round. An export failure rejects every image it was for.
 */
export function readEngineImages(
  requests: EngineRequest[],
  options: Omit<EngineSourceOptions, 'pull'>,
): Array<Promise<ImageInfo>> {
  const docker = engineClient(options)
  const inspected = requests.map((r) =>
    inspectEngineImage(docker, r.reference, { ...options, pull: r.pull }),
  )
  const exported = exportOnce(docker, inspected, options.log)
  // Rejections reach every caller through the reads below; this only keeps Node from calling
  // one unhandled when no image was inspected.
  exported.catch(() => undefined)
  return inspected.map(async (read) => {
    const image = await read
    const contents = await exported
    return listedImage(image, findExportedImage(contents, image.known, image.diffIds), options.log)
  })
}

/** The export of every image that could be inspected, by ID, in one stream. */
async function exportOnce(
  docker: Docker,
  inspected: Array<Promise<InspectedImage>>,
  log: Logger,
): Promise<ArchiveContents> {
  const settled = await Promise.allSettled(inspected)
  const images = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
  if (images.length === 0) return { format: 'docker-archive', images: [], notes: [] }
  const names = [...new Set(images.map((i) => i.known.id ?? i.reference))]
  const references = [...new Set(images.map((i) => i.reference))].join(', ')
  log.debug(`${references}: listing the layers from one export of the engine`)
  return exportEngineImages(docker, names, `the export of ${references}`)
}

/** The plain read's figures, with each layer's listing from the export. */
function listedImage(image: InspectedImage, exported: ArchiveImage, log: Logger): ImageInfo {
  const history = image.history
  if (history?.ok) {
    const layers = history.layers
    const paired =
      layers.length === exported.layers.length &&
      layers.every((l, i) => l.diffId === exported.layers[i].diffId)
    if (paired) {
      return fromHistory(
        image,
        layers.map((layer, i) => ({ ...layer, listing: exported.layers[i].listing })),
      )
    }
    log.info(`${image.reference}: the export's layers differ from inspect's; using the export's`)
  } else if (history) {
    log.info(`${image.reference}: ${history.reason}; measuring the layer content instead`)
  }
  return exportedImageInfo(exported, image.known)
}
