import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ImageInfo, Platform } from '../../model/image.js'
import type { ImageSourceRef } from '../../model/reference.js'
import { UserError } from '../../util/errors.js'
import { readImageArchive, type ArchiveContents } from './read-archive.js'
import { readOciDir } from './read-oci-dir.js'
import { selectArchiveImage } from './choose-archive-image.js'
import { toImageInfo } from './to-image-info.js'
import { ImageNotFoundError } from '../errors.js'

export type ArchiveRef = Extract<ImageSourceRef, { path: string }>

export interface ArchiveReadOptions {
  /** List every layer's entries (`Layer.listing`) */
  listFiles?: boolean
}

/**
 * Reads an image from a `docker save` tarball, an OCI layout tarball or an OCI layout
 * directory: streamed in one pass, never extracted, layers measured from their content.
 */
export async function readArchiveImage(
  ref: ArchiveRef,
  platform?: Platform,
  options: ArchiveReadOptions = {},
): Promise<ImageInfo> {
  return imageOf(ref, readContents(ref, options), platform)
}

/**
 * Two images of one archive or layout (`head` and `base` name the same path): it is read once,
 * so a layer they share is streamed and listed once. One promise per image, each settling on
 * its own (a name the archive lacks is that image's `ImageNotFoundError`).
 */
export function readArchivePair(
  head: ArchiveRef,
  base: ArchiveRef,
  platform: Platform | undefined,
  options: ArchiveReadOptions = {},
): [Promise<ImageInfo>, Promise<ImageInfo>] {
  const contents = readContents(head, options)
  return [imageOf(head, contents, platform), imageOf(base, contents, platform)]
}

function labelOf(ref: ArchiveRef): string {
  return `${ref.transport}:${ref.path}`
}

async function readContents(
  ref: ArchiveRef,
  options: ArchiveReadOptions,
): Promise<ArchiveContents> {
  const file = labelOf(ref)
  await mustExist(ref.path, ref.transport === 'oci' ? 'directory' : 'file', file)
  return ref.transport === 'oci'
    ? readOciDir(ref.path, { label: file, list: options.listFiles })
    : readImageArchive(createReadStream(ref.path), { label: file, list: options.listFiles })
}

async function imageOf(
  ref: ArchiveRef,
  read: Promise<ArchiveContents>,
  platform: Platform | undefined,
): Promise<ImageInfo> {
  const contents = await read
  const file = labelOf(ref)
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
