import type { ImageInfo, Layer } from '../../src/model/image.js'

/** A small image for domain tests: layers as [diffId suffix, instruction, bytes]. */
export function image(
  reference: string,
  layers: Array<[string, string, number]>,
  extra: Partial<ImageInfo> = {},
): ImageInfo {
  return {
    reference,
    id: `sha256:${'1'.repeat(64)}`,
    origin: {
      kind: 'engine',
      store: 'overlay2',
      driver: 'overlay2',
      engineVersion: '20.10.24',
      apiVersion: '1.41',
      endpoint: { host: 'unix:///var/run/docker.sock' },
    },
    sizeOrigin: 'history',
    layers: layers.map(([id, instruction, bytes]): Layer => ({
      diffId: `sha256:${id.padStart(64, '0')}`,
      instruction,
      uncompressedBytes: bytes,
    })),
    notes: [],
    ...extra,
  }
}
