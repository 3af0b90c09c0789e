/**
 * The file analysis of a base/PR pair, from the layer listings the sources collected.
 */
import type { FileComparison } from '../model/files.js'
import type { ImageInfo } from '../model/image.js'

/**
 * What the files of `head` (and `base`) say, and how they differ; undefined when a layer of
 * either image has no listing (the source could not list it, or listing was off).
 */
export function analyseFiles(
  base: ImageInfo | undefined,
  head: ImageInfo,
): FileComparison | undefined {
  const listed = (image: ImageInfo) => image.layers.every((layer) => layer.listing !== undefined)
  if (!listed(head) || (base !== undefined && !listed(base))) return undefined
  // Issue 9: merging the listings into ImageFiles and comparing them comes next.
  return undefined
}
