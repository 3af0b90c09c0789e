/**
 * A loopback HTTP server that speaks the few Docker Engine API endpoints the engine source reads,
 * answering image inspect and history with fields of the wrong type: the source names the answer
 * and the field in one line, instead of failing later with a TypeError.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { readEngineImage } from '../../../src/sources/engine/engine-source.js'
import { UserError } from '../../../src/util/errors.js'
import { startFakeEngine, type EngineAnswers, type FakeEngine } from '../../support/fake-engine.js'
import { NO_CONFIG, recordingLog } from '../../support/registry-tools.js'

const ID = `sha256:${'e'.repeat(64)}`
const LAYER = `sha256:${'1'.repeat(64)}`

type Json = Record<string, unknown>

function goodInspect(): Json {
  return {
    Id: ID,
    RepoDigests: [],
    Os: 'linux',
    Architecture: 'amd64',
    RootFS: { Type: 'layers', Layers: [LAYER] },
    Config: { Env: ['PATH=/bin'] },
  }
}

function goodHistory(): Json[] {
  return [
    { Id: ID, CreatedBy: '/bin/sh -c #(nop)  CMD ["app"]', Size: 0 },
    { Id: '<missing>', CreatedBy: '/bin/sh -c #(nop) COPY file:abc in /app ', Size: 1234 },
  ]
}

let engine: FakeEngine

beforeAll(async () => {
  engine = await startFakeEngine({ inspect: goodInspect(), history: goodHistory() })
})

afterAll(() => engine.close())

function read() {
  return readEngineImage('app:1', {
    docker: engine.docker(),
    log: recordingLog(),
    credentials: NO_CONFIG,
    pull: false,
  })
}

describe('engine answers with fields of the wrong type', () => {
  test('0 well-formed answers read (the cases below differ in one field)', async () => {
    engine.answers = { inspect: goodInspect(), history: goodHistory() }
    const image = await read()
    expect(image.layers).toEqual([
      expect.objectContaining({ diffId: LAYER, uncompressedBytes: 1234 }),
    ])
  })

  // [#, what is wrong, answers, message]
  const cases: Array<[number, string, () => EngineAnswers, string]> = [
    [
      1,
      'RootFS.Layers[] a number',
      () => ({ inspect: { ...goodInspect(), RootFS: { Layers: [7] } }, history: goodHistory() }),
      "The engine's inspect answer for app:1 is invalid: RootFS.Layers[0] is a number, expected a string",
    ],
    [
      2,
      'Config.Env a string',
      () => ({ inspect: { ...goodInspect(), Config: { Env: 'A=1' } }, history: goodHistory() }),
      "The engine's inspect answer for app:1 is invalid: Config.Env is a string, expected an array",
    ],
    [
      3,
      'Os a number',
      () => ({ inspect: { ...goodInspect(), Os: 1 }, history: goodHistory() }),
      "The engine's inspect answer for app:1 is invalid: Os is a number, expected a string",
    ],
    [
      4,
      'no Id',
      () => ({ inspect: { ...goodInspect(), Id: undefined }, history: goodHistory() }),
      "The engine's inspect answer for app:1 is invalid: Id is missing, expected a string",
    ],
    [
      5,
      'history CreatedBy a number',
      () => ({
        inspect: goodInspect(),
        history: [goodHistory()[0], { ...goodHistory()[1], CreatedBy: 5 }],
      }),
      `The engine's history of ${ID} is invalid: [1].CreatedBy is a number, expected a string`,
    ],
    [
      6,
      'history Size a string',
      () => ({ inspect: goodInspect(), history: [{ ...goodHistory()[0], Size: '0' }] }),
      `The engine's history of ${ID} is invalid: [0].Size is a string, expected a non-negative integer`,
    ],
    [
      7,
      'history an object',
      () => ({ inspect: goodInspect(), history: { layers: [] } }),
      `The engine's history of ${ID} is invalid: the document is an object, expected an array`,
    ],
  ]
  test.each(cases)('%i %s', async (_n, _what, make, message) => {
    engine.answers = make()
    const error = await read().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toBe(message)
  })
})
