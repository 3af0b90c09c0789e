/**
 * The base and PR images, read together so that what they share is read once: from one engine,
 * one export of both (`docker save A B`); from registries, each shared blob downloaded once;
 * two images of one archive or layout, one pass over it. Other pairs are read side by side.
 * Either way a layer both images hold (same diff id) ends up with the same `listing` object in
 * both.
 */
import { resolve } from 'node:path'
import type { ImageInfo, Layer } from '../model/image.js'
import type { ImageSourceRef } from '../model/reference.js'
import { asRole } from './image-role.js'
import { readImage, type PairShare, type SourceContext } from './read-image.js'

export interface ImagePairReads {
  /** The PR image; a `UserError` it rejects with names "the PR image" */
  head: Promise<ImageInfo>
  /** The base image, when there is a base reference; a missing one stays `ImageNotFoundError` */
  base?: Promise<ImageInfo>
}

/**
 * Starts reading both images at once. Each promise settles on its own (the gate decides which
 * error wins, and what a missing base means); neither is left unhandled by this function.
 */
export function readImagePair(
  head: ImageSourceRef,
  base: ImageSourceRef | undefined,
  context: SourceContext,
): ImagePairReads {
  if (!base) return { head: asRole('PR', head, readImage(head, context)) }
  const [headRaw, baseRaw] = startReads(head, base, context)
  const headShared = headRaw.then(async (image) =>
    shareListings(image, await baseRaw.catch(() => undefined)),
  )
  return { head: asRole('PR', head, headShared), base: asRole('base', base, baseRaw) }
}

function startReads(
  head: ImageSourceRef,
  base: ImageSourceRef,
  context: SourceContext,
): [Promise<ImageInfo>, Promise<ImageInfo>] {
  if (context.listFiles && head.transport === 'engine' && base.transport === 'engine') {
    const both = import('./engine/read-engine-images.js').then(({ readEngineImages }) =>
      readEngineImages(
        [
          { reference: head.reference, pull: head.pull },
          { reference: base.reference, pull: base.pull },
        ],
        context,
      ),
    )
    return [both.then((reads) => reads[0]), both.then((reads) => reads[1])]
  }
  if (context.listFiles && 'path' in head && 'path' in base && sameArchive(head, base)) {
    const both = import('./archive/archive-source.js').then(({ readArchivePair }) =>
      readArchivePair(head, base, context.platform, { listFiles: true }),
    )
    return [both.then((reads) => reads[0]), both.then((reads) => reads[1])]
  }
  const share: Promise<PairShare> =
    context.listFiles && head.transport === 'registry' && base.transport === 'registry'
      ? import('./registry/blob-reader.js').then(({ BlobReader }) => ({
          blobs: new BlobReader({ list: true }),
        }))
      : Promise.resolve({})
  return [
    share.then((s) => readImage(head, context, s)),
    share.then((s) => readImage(base, context, s)),
  ]
}

/** Two references into one archive file or layout directory */
function sameArchive(
  head: Extract<ImageSourceRef, { path: string }>,
  base: Extract<ImageSourceRef, { path: string }>,
): boolean {
  return head.transport === base.transport && resolve(head.path) === resolve(base.path)
}

/**
 * The PR image with every layer that the base also holds (same diff id, so the same bytes)
 * carrying the base's listing object: the analysis can tell shared layers by identity.
 */
function shareListings(head: ImageInfo, base: ImageInfo | undefined): ImageInfo {
  if (!base) return head
  const listings = new Map(base.layers.flatMap((l) => (l.listing ? [[l.diffId, l.listing]] : [])))
  const layers = head.layers.map((layer): Layer => {
    const shared = listings.get(layer.diffId)
    return shared && layer.listing && shared !== layer.listing
      ? { ...layer, listing: shared }
      : layer
  })
  return { ...head, layers }
}
