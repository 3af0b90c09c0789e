import { beforeAll, describe, expect, it } from '@jest/globals'
import Docker from 'dockerode'
import { readEngineImage } from '../../../src/sources/engine/engine-source.js'
import { ImageNotFoundError } from '../../../src/sources/errors.js'
import { UserError } from '../../../src/util/errors.js'
import { silentLogger } from '../../../src/util/log.js'
import { buildFixtures, dockerFor, ENGINES, historySizes } from '../../support/engines.js'

const classic = ENGINES[0]
const nonZero = (sizes: Array<number | undefined>) => sizes.filter((s) => s !== 0)

describe.each(ENGINES)('engine source on the $name engine', (engine) => {
  let docker: Docker
  beforeAll(() => {
    buildFixtures(engine)
    buildFixtures(classic)
    docker = dockerFor(engine)
  })
  const read = (reference: string, pull = false) =>
    readEngineImage(reference, { docker, log: silentLogger, credentials: {}, pull })

  it('detects the image store and the engine version', async () => {
    const image = await read('isg-fixture/app:pr')
    expect(image.origin).toMatchObject({ kind: 'engine', store: engine.store })
    expect(image.origin.kind === 'engine' && image.origin.engineVersion).toMatch(/^\d+\.\d+/)
    expect(image.sizeOrigin).toBe(engine.store === 'overlay2' ? 'history' : 'layer-content')
    expect(image.env).toContain('APP_HOME=/app') // the Dockerfile's ENV, for the findings
  })

  it.each(['isg-fixture/app:base', 'isg-fixture/app:pr', 'isg-fixture/busybox:1'])(
    'gives %s the overlay2 engine’s docker history sizes, layer by layer',
    async (reference) => {
      const image = await read(reference)
      const expected = historySizes(classic, reference)
      expect(nonZero(image.layers.map((l) => l.uncompressedBytes))).toEqual(nonZero(expected))
      const inspect = await docker.getImage(reference).inspect()
      expect(image.layers.map((l) => l.diffId)).toEqual(inspect.RootFS.Layers)
    },
  )

  it('pairs every layer with the step that made it', async () => {
    const image = await read('isg-fixture/app:pr')
    const steps = image.layers.map((l) => l.instruction)
    expect(steps[0]).toMatch(/COPY file:/)
    expect(steps[1]).toMatch(/busybox --install/)
    expect(steps.filter((s) => /fake-apt/.test(s))).toHaveLength(2)
    expect(steps.some((s) => /ENV|LABEL|CMD/.test(s))).toBe(false)
  })

  it('pairs zero-byte steps exactly, reading the layer content when docker history cannot tell', async () => {
    const image = await read('isg-fixture/ambiguous:1')
    const steps = image.layers.map((l) => l.instruction)
    expect(steps.some((s) => /WORKDIR \/app/.test(s))).toBe(true)
    expect(steps.some((s) => /-c true$/.test(s))).toBe(false)
    expect(image.layers.at(-1)?.uncompressedBytes).toBe(3)
    expect(image.sizeOrigin).toBe('layer-content')
  })

  if (engine.store === 'containerd') {
    it('knows the compressed blob sizes the containerd store keeps', async () => {
      const image = await read('isg-fixture/app:pr')
      for (const layer of image.layers) {
        expect(layer.compressedBytes).toBeGreaterThan(0)
        expect(layer.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
      }
    })
  }

  it('says a docker-daemon: image that is not there is missing, without pulling', async () => {
    await expect(read('isg-fixture/app:no-such-tag')).rejects.toThrow(ImageNotFoundError)
  })

  it('says an unreachable engine is unreachable, and how to fix it', async () => {
    const nowhere = new Docker({ socketPath: '/tmp/isg-no-engine.sock' })
    const failure = readEngineImage('isg-fixture/app:pr', {
      docker: nowhere,
      log: silentLogger,
      credentials: {},
      pull: false,
    })
    await expect(failure).rejects.toThrow(UserError)
    await expect(failure).rejects.toThrow(
      /Cannot reach the Docker engine at unix:\/\/\/tmp\/isg-no-engine.sock.*DOCKER_HOST/,
    )
  })
})
