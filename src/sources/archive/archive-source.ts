import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ImageInfo, Platform } from '../../model/image.js'
import type { ImageSourceRef } from '../../model/reference.js'
import { UserError } from '../../util/errors.js'
import { readImageArchive } from './read-archive.js'
import { readOciDir } from './read-oci-dir.js'
import { selectArchiveImage } from './choose-archive-image.js'
import { toImageInfo } from './to-image-info.js'
import { ImageNotFoundError } from '../errors.js'

type ArchiveRef = Extract<ImageSourceRef, { path: string }>

/**
 * Reads an image from a `docker save` tarball, an OCI layout tarball or an OCI layout
 * directory: streamed in one pass, never extracted, layers measured from their content.
 */
export async function readArchiveImage(
  ref: ArchiveRef,
  platform?: Platform,
  options: { listFiles?: boolean } = {},
): Promise<ImageInfo> {
  const file = `${ref.transport}:${ref.path}`
  await mustExist(ref.path, ref.transport === 'oci' ? 'directory' : 'file', file)
  const contents =
    ref.transport === 'oci'
      ? await readOciDir(ref.path, { label: file, list: options.listFiles })
      : await readImageArchive(createReadStream(ref.path), { label: file, list: options.listFiles })
  const image = selectArchiveImage(contents, file, { name: ref.ref, platform })
  const format =
    ref.transport === 'oci'
      ? 'oci'
      : contents.format === 'docker-archive'
        ? 'docker-archive'
        : 'oci-archive'
  const reference = ref.ref ? `${file}:${ref.ref}` : file
  const info = toImageInfo(image, reference, { kind: 'archive', format, path: ref.path })
  return { ...info, notes: [...info.notes, ...contents.notes.map((n) => `${file}: ${n}`)] }
}

/** `label` (docker-archive:PATH) starts each message, so the gate can say base or PR image. */
async function mustExist(path: string, kind: 'file' | 'directory', label: string): Promise<void> {
  const info = await stat(path).catch((error: unknown) => {
    if ((error as { code?: unknown }).code === 'ENOENT') {
      throw new ImageNotFoundError(`${label}: the ${kind} ${path} does not exist`)
    }
    throw new UserError(`${label}: the ${kind} ${path} cannot be read: ${String(error)}`)
  })
  if (kind === 'file' ? !info.isFile() : !info.isDirectory()) {
    throw new UserError(
      `${label}: ${path} is not a ${kind}; ${kind === 'file' ? 'docker-archive: and oci-archive: take a tarball' : 'oci: takes an OCI layout directory'}`,
    )
  }
}
