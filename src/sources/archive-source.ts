import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ImageInfo, Platform } from '../model/image.js'
import type { ImageSourceRef } from '../model/reference.js'
import { UserError } from '../util/errors.js'
import { readImageArchive } from './archive/read-archive.js'
import { readOciDir } from './archive/read-oci-dir.js'
import type { ArchiveContents, ArchiveImage } from './archive/types.js'
import { selectArchiveImage, toImageInfo } from './archive-image.js'
import { ImageNotFoundError } from './errors.js'

type ArchiveRef = Extract<ImageSourceRef, { transport: 'docker-archive' | 'oci-archive' | 'oci' }>

/**
 * Reads an image from a `docker save` tarball, an OCI layout tarball or an OCI layout
 * directory: streamed in one pass, never extracted, layers measured from their content.
 */
export async function readArchiveImage(ref: ArchiveRef, platform?: Platform): Promise<ImageInfo> {
  await mustExist(ref.path, ref.transport === 'oci' ? 'directory' : 'file')
  const label = `${ref.transport}:${ref.path}`
  const contents =
    ref.transport === 'oci'
      ? await readOciDir(ref.path)
      : await readImageArchive(createReadStream(ref.path), { label })
  const image = pick(contents, label, ref.transport === 'oci' ? ref.ref : undefined, platform)
  const format =
    ref.transport === 'oci'
      ? 'oci'
      : contents.format === 'docker-archive'
        ? 'docker-archive'
        : 'oci-archive'
  const reference = ref.transport === 'oci' && ref.ref ? `${label}:${ref.ref}` : label
  const info = toImageInfo(image, reference, { kind: 'archive', format, path: ref.path })
  return { ...info, notes: [...info.notes, ...contents.notes.map((n) => `${label}: ${n}`)] }
}

function pick(
  contents: ArchiveContents,
  label: string,
  name: string | undefined,
  platform?: Platform,
): ArchiveImage {
  if (!name) return selectArchiveImage(contents, label, platform)
  const named = contents.images.filter(
    (i) => i.refName === name || i.repoTags.includes(name) || i.imageName === name,
  )
  if (named.length === 0) {
    const known = contents.images
      .map((i) => i.refName ?? i.repoTags[0] ?? i.imageName)
      .filter(Boolean)
    throw new ImageNotFoundError(
      `${label} has no image named "${name}"${known.length ? `; it has ${known.join(', ')}` : ''}`,
    )
  }
  return selectArchiveImage({ ...contents, images: named }, `${label}:${name}`, platform)
}

async function mustExist(path: string, kind: 'file' | 'directory'): Promise<void> {
  const info = await stat(path).catch((error: unknown) => {
    if ((error as { code?: unknown }).code === 'ENOENT') {
      throw new ImageNotFoundError(`The image ${kind} ${path} does not exist`)
    }
    throw new UserError(`The image ${kind} ${path} cannot be read: ${String(error)}`)
  })
  if (kind === 'file' ? !info.isFile() : !info.isDirectory()) {
    throw new UserError(
      `${path} is not a ${kind}; ${kind === 'file' ? 'docker-archive: and oci-archive: take a tarball' : 'oci: takes an OCI layout directory'}`,
    )
  }
}
