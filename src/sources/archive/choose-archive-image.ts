import { formatPlatform, type Platform } from '../../model/image.js'
import { UserError } from '../../util/errors.js'
import { formatDockerReference, parseDockerReference } from '../../model/reference.js'
import { ImageNotFoundError } from '../errors.js'
import { platformMatches, runnerPlatform } from '../../model/platform.js'
import type { ArchiveContents, ArchiveImage } from './types.js'

export interface ArchiveSelection {
  /** An image name: a RepoTag (docker save) or a ref name (OCI); required when there are several */
  name?: string
  /** The platform asked for; default: the one there is, else the runner's */
  platform?: Platform
}

/**
 * Picks one image of an archive or layout. Several differently named images need a name
 * (`docker-archive:PATH:NAME`): comparing the first one would compare the wrong image. Several
 * platforms of one image are chosen like `docker pull` does: the one asked for, else the runner's.
 */
export function selectArchiveImage(
  contents: ArchiveContents,
  label: string,
  selection: ArchiveSelection = {},
): ArchiveImage {
  if (contents.images.length === 0) throw new UserError(`${label} holds no image`)
  const named = selection.name ? byName(contents.images, selection.name, label) : contents.images
  const names = [...new Set(named.map(nameOf))]
  if (names.length > 1) {
    throw new UserError(
      `${label} holds ${names.length} images (${names.map((n) => n || '(unnamed)').join(', ')}); name the one to compare: ${label}:NAME`,
    )
  }
  const platformed = named.filter((i) => i.platform)
  if (named.length === 1 && (!selection.platform || platformed.length === 0)) return named[0]
  const wanted = selection.platform ?? runnerPlatform()
  const match = platformed.find((i) => i.platform && platformMatches(i.platform, wanted))
  if (match) return match
  const offered = [...new Set(named.map((i) => formatPlatform(i.platform)))]
  throw new ImageNotFoundError(
    `${label} has no image for ${formatPlatform(wanted)}; it has ${offered.join(', ')}`,
  )
}

/** The name an archive gives an image; '' when it gives none. */
function nameOf(image: ArchiveImage): string {
  return image.refName ?? image.repoTags[0] ?? image.imageName ?? ''
}

function byName(images: ArchiveImage[], name: string, label: string): ArchiveImage[] {
  const wanted = canonical(name)
  const found = images.filter((i) =>
    [i.refName, i.imageName, ...i.repoTags].some(
      (n) => n !== undefined && (n === name || canonical(n) === wanted),
    ),
  )
  if (found.length > 0) return found
  const known = [...new Set(images.map(nameOf).filter(Boolean))]
  throw new ImageNotFoundError(
    `${label} has no image named "${name}"${known.length ? `; it has ${known.join(', ')}` : ''}`,
  )
}

/** `app:1` and `docker.io/library/app:1` name the same image. */
function canonical(name: string): string {
  const parsed = parseDockerReference(name)
  return 'error' in parsed ? name : formatDockerReference(parsed)
}
