/**
 * The image config blob: `rootfs.diff_ids` and the build history that names each layer's step.
 * https://github.com/opencontainers/image-spec/blob/main/config.md
 */
import type { OciDescriptor, OciImageConfig } from '../../model/oci.js'
import { UserError } from '../../util/errors.js'
import { validate } from '../../util/json-check.js'
import { ociImageConfig } from '../oci/oci-shapes.js'
import { checkDigest } from './digest.js'
import { CONFIG_LIMIT, parseJson, readCapped } from './http-body.js'
import type { RegistryClient } from './registry-client.js'

const IMAGE_CONFIG_TYPES = new Set([
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.container.image.v1+json',
])

/** GETs, size-caps and digest-checks the config; an artifact's config is refused by type. */
export async function fetchConfig(
  client: RegistryClient,
  descriptor: OciDescriptor,
  label: string,
): Promise<OciImageConfig> {
  if (!IMAGE_CONFIG_TYPES.has(descriptor.mediaType)) {
    throw new UserError(`${label} is not a container image: its config is ${descriptor.mediaType}`)
  }
  const what = `config ${descriptor.digest} of ${label}`
  if (descriptor.size > CONFIG_LIMIT) {
    throw new UserError(`${what} is ${descriptor.size} bytes, over the ${CONFIG_LIMIT}-byte limit`)
  }
  const response = await client.get(`blobs/${descriptor.digest}`, { what })
  const body = await readCapped(response, CONFIG_LIMIT, what)
  checkDigest(body, descriptor.digest, what)
  const config = parseJson(body, what)
  return validate(ociImageConfig, config, `${label} has an invalid config ${descriptor.digest}`)
}
