/**
 * The engine source checks the image's platform with the model's rule (model/platform.ts), the
 * one the registry and archive sources use: no variant asked matches any, arm64 and arm64/v8
 * are the same, and a variant asked is not matched by an image that names none.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import type { Platform } from '../../../src/model/image.js'
import { readEngineImage } from '../../../src/sources/engine/engine-source.js'
import { ImageNotFoundError } from '../../../src/sources/errors.js'
import { startFakeEngine, type FakeEngine } from '../../support/fake-engine.js'
import { NO_CONFIG, recordingLog } from '../../support/registry-tools.js'

const ID = `sha256:${'e'.repeat(64)}`
const LAYER = `sha256:${'1'.repeat(64)}`

let engine: FakeEngine

/** The engine's one image, of this platform */
function answersFor(platform: Platform) {
  return {
    inspect: {
      Id: ID,
      RepoDigests: [],
      Os: platform.os,
      Architecture: platform.architecture,
      ...(platform.variant ? { Variant: platform.variant } : {}),
      RootFS: { Type: 'layers', Layers: [LAYER] },
    },
    history: [{ Id: ID, CreatedBy: '/bin/sh -c #(nop) COPY file:abc in /app ', Size: 12 }],
  }
}

beforeAll(async () => {
  engine = await startFakeEngine(answersFor({ os: 'linux', architecture: 'amd64' }))
})

afterAll(() => engine.close())

function read(wanted: Platform) {
  return readEngineImage('app:1', {
    docker: engine.docker(),
    log: recordingLog(),
    credentials: NO_CONFIG,
    pull: false,
    platform: wanted,
  })
}

const p = (text: string): Platform => {
  const [os, architecture, variant] = text.split('/')
  return variant ? { os, architecture, variant } : { os, architecture }
}

describe('engine image platform', () => {
  // [#, the engine's image, the platform asked for, whether it is read]
  const cases: Array<[number, string, string, boolean]> = [
    [1, 'linux/amd64', 'linux/amd64', true],
    [2, 'linux/arm/v7', 'linux/arm', true],
    [3, 'linux/arm64', 'linux/arm64/v8', true],
    [4, 'linux/arm64/v8', 'linux/arm64', true],
    [5, 'linux/arm/v6', 'linux/arm/v7', false],
    [6, 'linux/arm', 'linux/arm/v7', false],
    [7, 'linux/amd64', 'linux/arm64', false],
  ]
  test.each(cases)('%i: image %s, asked for %s: read %s', async (_, actual, wanted, read_) => {
    engine.answers = answersFor(p(actual))
    if (read_) {
      await expect(read(p(wanted))).resolves.toMatchObject({ platform: p(actual) })
    } else {
      const error = await read(p(wanted)).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ImageNotFoundError)
      expect((error as Error).message).toBe(
        `app:1 in the Docker engine is ${actual}, not ${wanted}; for several platforms use docker:// (registry) or oci: references`,
      )
    }
  })
})
