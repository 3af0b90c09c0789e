import type { ImageInfo, SizeBasis } from '../model/image.js'
import { describeOrigin } from '../model/image.js'
import type { Report } from '../report/report.js'
import { codeSpan, escapeMarkdown, shortDigest } from './escape.js'
import { BASIS_TEXT } from './parts.js'

/** The small print under the comment: the basis, and where each image and its sizes come from. */
export function footer(report: Report): string {
  const first = report.entries[0]?.comparison
  if (!first) return ''
  const describe = (label: string, image?: ImageInfo) =>
    image
      ? `${label}: ${codeSpan(image.reference)} ${codeSpan(shortDigest(image.digest ?? image.id))} from ${escapeMarkdown(describeOrigin(image.origin), 150)}${engineAddress(image)}, ${sizeSource(image, first.basis)}`
      : `${label}: none`
  return `<sub>${BASIS_TEXT[first.basis]}<br>${describe('Base', first.base)}<br>${describe('PR', first.head)}</sub>`
}

/** `, engine `tcp://10.0.0.5:2376` (context `ci`)`: which engine was read (and built on). */
function engineAddress(image: ImageInfo): string {
  const endpoint = image.origin.kind === 'engine' ? image.origin.endpoint : undefined
  if (!endpoint) return ''
  const context = endpoint.context === undefined ? '' : ` (context ${codeSpan(endpoint.context)})`
  return `, engine ${codeSpan(endpoint.host, 150)}${context}`
}

/** Where the figures of the comparison's basis come from, so each one can be traced. */
function sizeSource(image: ImageInfo, basis: SizeBasis): string {
  if (basis === 'compressed') {
    return image.origin.kind === 'registry'
      ? 'sizes from the manifest'
      : 'sizes of the stored blobs'
  }
  return `sizes from ${image.sizeOrigin === 'history' ? '`docker history`' : 'the layer content'}`
}
