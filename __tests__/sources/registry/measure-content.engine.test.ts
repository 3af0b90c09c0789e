import { beforeAll, describe, expect, it } from '@jest/globals'
import { readRegistryImage } from '../../../src/sources/registry/registry-source.js'
import { buildFixtures, ENGINES, historySizes, REGISTRY } from '../../support/engines.js'
import {
  getManifest,
  NO_CONFIG,
  pushImage,
  recordingLog,
  tempDockerConfig,
} from '../../support/registry-tools.js'

/**
 * `measureContent` streams every layer blob from the registry and counts its content: the same
 * figure as the classic (overlay2) engine's `docker history`, whichever engine pushed the blobs.
 */
describe.each(['base', 'pr'])('content sizes of isg-fixture/app:%s from the registry', (name) => {
  const [classic, containerd] = ENGINES
  const repository = 'isg/measure-content'
  const tag = (engine: string) => `${name}-${engine}-${process.pid}`
  const read = (engine: string) =>
    readRegistryImage(`${REGISTRY}/${repository}:${tag(engine)}`, {
      credentials: NO_CONFIG,
      measureContent: true,
      log: recordingLog(),
    })
  let history: number[]

  beforeAll(() => {
    const config = tempDockerConfig()
    for (const engine of [classic, containerd]) {
      buildFixtures(engine)
      const target = `${REGISTRY}/${repository}:${tag(engine.name)}`
      pushImage(engine, config.dir, `isg-fixture/app:${name}`, target)
    }
    config.remove()
    history = historySizes(classic, `isg-fixture/app:${name}`).filter((size) => size > 0)
  })

  it('equals the classic engine’s docker history sizes, layer by layer', async () => {
    const image = await read('classic')
    expect(image.sizeOrigin).toBe('layer-content')
    const measured = image.layers.map((l) => l.uncompressedBytes)
    expect(measured.filter((size) => size !== 0)).toEqual(history)
    const raw = await getManifest(REGISTRY, repository, tag('classic'))
    expect(image.layers.map((l) => l.compressedBytes)).toEqual(raw.json.layers.map((l) => l.size))
  })

  it('gives the same figures for the blobs the containerd engine pushed', async () => {
    const image = await read('containerd')
    expect(image.layers.map((l) => l.uncompressedBytes).filter((s) => s !== 0)).toEqual(history)
  })
})
