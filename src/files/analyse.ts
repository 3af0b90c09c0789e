/**
 * The file analysis of a base/PR pair, from the layer listings the sources collected.
 */
import type { FileComparison, ImageFiles, LayerListing } from '../model/files.js'
import type { ImageInfo } from '../model/image.js'
import { comparePaths, sumReclaimableAdded } from './compare-paths.js'
import { describeImageFiles } from './image-files.js'
import { comparePackages } from './packages/index.js'

/** The listings of `image`'s layers, bottom first; undefined when one is missing. */
function listingsOf(image: ImageInfo): LayerListing[] | undefined {
  const listings: LayerListing[] = []
  for (const layer of image.layers) {
    if (layer.listing === undefined) return undefined
    listings.push(layer.listing)
  }
  return listings
}

/**
 * What the files of `head` (and `base`) say, and how they differ; undefined when a layer of
 * either image has no listing (the source could not list it, or listing was off).
 * Without a baseline (`base` undefined) there are no path changes, the packages compare
 * against nothing (all added), and every hidden copy counts as added by the PR.
 */
export function analyseFiles(
  base: ImageInfo | undefined,
  head: ImageInfo,
): FileComparison | undefined {
  const headListings = listingsOf(head)
  const baseListings = base === undefined ? undefined : listingsOf(base)
  if (headListings === undefined || (base !== undefined && baseListings === undefined))
    return undefined
  const headFiles = describeImageFiles(headListings)
  // The same layers (an unchanged image) say the same: describe them once
  const sameLayers =
    base !== undefined &&
    base.layers.length === head.layers.length &&
    base.layers.every((layer, i) => layer.diffId === head.layers[i].diffId)
  const baseFiles: ImageFiles | undefined =
    baseListings === undefined
      ? undefined
      : sameLayers
        ? headFiles
        : describeImageFiles(baseListings)
  const reclaimableAddedBytes = sumReclaimableAdded(
    headFiles.hidden,
    head.layers.map((layer) => layer.diffId),
    base?.layers.map((layer) => layer.diffId),
  )
  return {
    ...(baseFiles === undefined ? {} : { base: baseFiles }),
    head: headFiles,
    changes: baseFiles === undefined ? [] : comparePaths(baseFiles.view, headFiles.view),
    packages: comparePackages(baseFiles?.packages, headFiles.packages),
    reclaimableAddedBytes,
  }
}
