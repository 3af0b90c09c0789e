import type Docker from 'dockerode'
import type { ImageInfo } from '../model/image.js'
import type { ImageSourceRef } from '../model/reference.js'
import type { Logger } from '../util/log.js'
import type { CredentialOptions } from './credentials.js'
import { readEngineImage } from './engine/engine-source.js'

/** What every image source may use. Clients are injectable; defaults are made on first use. */
export interface SourceContext {
  log: Logger
  credentials: CredentialOptions
  /** Docker engine client; default: from DOCKER_HOST, as the docker CLI does */
  docker?: Docker
}

/** Reads one image from the source its reference names. */
export async function readImage(ref: ImageSourceRef, context: SourceContext): Promise<ImageInfo> {
  switch (ref.transport) {
    case 'engine':
      return readEngineImage(ref.reference, { ...context, pull: ref.pull })
    default:
      throw new Error(`the ${ref.transport} transport is not implemented yet`)
  }
}
