import { describe, expect, it } from '@jest/globals'
import {
  buildRequestedImages,
  removeBuiltImages,
  type ImageBuilder,
} from '../../src/action/build.js'
import { parseOptions } from '../../src/options.js'
import type { BuildSpec } from '../../src/image-build/index.js'
import type { Logger } from '../../src/util/log.js'

/**
 * Which images the action builds for each combination of head-image, base-image and the base
 * commit, in build mode (the context input), with a recording fake builder: no docker runs.
 */

const HEAD = 'docker-archive:examples/pr.tar'
const BASE = 'docker-archive:examples/base.tar'
const SPEC: BuildSpec = { context: '.', buildArgs: {} }
const RUN = 'isg-inputs8-1'
const HEAD_TAG = `image-size-gate-build:${RUN}-head`
const BASE_TAG = `image-size-gate-build:${RUN}-base`

interface Outcome {
  head?: 'ok' | 'fails'
  base?: 'ok' | 'fails'
}

/** A builder that records every call and builds (or fails) as `outcome` says. */
function fakeBuilder(outcome: Outcome = {}) {
  const calls: string[] = []
  const baseResult = () =>
    outcome.base === 'fails'
      ? { failed: 'base build failed: exit 1', logTail: ['step 2 failed'] }
      : { tag: BASE_TAG }
  const builder: ImageBuilder = {
    engineEnv: () => Promise.resolve({ DOCKER_HOST: 'unix:///isg-inputs8.sock' }),
    buildImage: (_spec, options) => {
      calls.push(`buildImage ${options.tag} env=${options.env?.DOCKER_HOST}`)
      return Promise.resolve(
        outcome.head === 'fails'
          ? { ok: false, logTail: ['RUN false'] }
          : { ok: true, tag: options.tag },
      )
    },
    buildBaseAndHead: (_spec, options) => {
      calls.push(`buildBaseAndHead ${options.baseSha}`)
      if (outcome.head === 'fails') return Promise.reject(new Error('head build failed'))
      return Promise.resolve({ head: HEAD_TAG, base: baseResult() })
    },
    buildBaseOnly: (_spec, options) => {
      calls.push(`buildBaseOnly ${options.baseSha}`)
      return Promise.resolve(baseResult())
    },
    cleanupBuiltImages: (tags) => {
      calls.push(`cleanup ${tags.join(' ')}`)
      return Promise.resolve()
    },
  }
  return { builder, calls }
}

function recordingLog() {
  const warnings: string[] = []
  const log: Logger = { debug() {}, info() {}, warning: (m) => warnings.push(m) }
  return { log, warnings }
}

type Row = [
  n: number,
  images: { head?: string; base?: string },
  baseSha: string | undefined,
  calls: string[],
  compared: { head: string; base: string | undefined; noBaseline?: string },
  builtTags: string[],
]

const ref = (text: string) => (text.startsWith('docker-archive:') ? text : `engine:${text}`)

describe('buildRequestedImages: what is built', () => {
  it.each<Row>([
    [
      1,
      {},
      'abc123',
      ['buildBaseAndHead abc123'],
      { head: `engine:${HEAD_TAG}`, base: `engine:${BASE_TAG}` },
      [HEAD_TAG, BASE_TAG],
    ],
    [
      2,
      {},
      undefined,
      [`buildImage ${HEAD_TAG} env=unix:///isg-inputs8.sock`],
      {
        head: `engine:${HEAD_TAG}`,
        base: undefined,
        noBaseline: 'there is no base commit to build, so there is no baseline',
      },
      [HEAD_TAG],
    ],
    [
      3,
      { base: BASE },
      'abc123',
      [`buildImage ${HEAD_TAG} env=unix:///isg-inputs8.sock`],
      { head: `engine:${HEAD_TAG}`, base: BASE },
      [HEAD_TAG],
    ],
    [
      4,
      { head: HEAD },
      'abc123',
      ['buildBaseOnly abc123'],
      { head: HEAD, base: `engine:${BASE_TAG}` },
      [BASE_TAG],
    ],
    [
      5,
      { head: HEAD },
      undefined,
      [],
      {
        head: HEAD,
        base: undefined,
        noBaseline: 'there is no base commit to build, so there is no baseline',
      },
      [],
    ],
  ])('%i: images %j, base commit %s', async (_n, images, baseSha, calls, compared, builtTags) => {
    const fake = fakeBuilder()
    const parsed = parseOptions(
      { 'head-image': images.head ?? '', 'base-image': images.base ?? '' },
      { headRequired: false },
    )
    const { log } = recordingLog()
    const built = await buildRequestedImages(parsed, SPEC, {
      workspace: '/isg-inputs8/workspace',
      baseSha,
      runId: RUN,
      log,
      builder: fake.builder,
    })
    expect(fake.calls).toEqual(calls)
    expect({
      head: ref(refText(built.gate.head)),
      base: built.gate.base && ref(refText(built.gate.base)),
      ...(built.gate.noBaseline ? { noBaseline: built.gate.noBaseline } : {}),
    }).toEqual(compared)
    expect(built.builtTags).toEqual(builtTags)
  })

  it('6: without context nothing is built, and the images are read as given', async () => {
    const fake = fakeBuilder()
    const parsed = parseOptions({ 'head-image': HEAD }, { headRequired: true })
    const built = await buildRequestedImages(parsed, undefined, {
      workspace: '/w',
      baseSha: 'abc123',
      runId: RUN,
      log: recordingLog().log,
      builder: fake.builder,
    })
    expect(fake.calls).toEqual([])
    expect(built).toEqual({ gate: parsed, builtTags: [] })
  })

  it('7: outside a pull request (no base commit), it warns that there is no baseline', async () => {
    const { log, warnings } = recordingLog()
    const parsed = parseOptions({ 'head-image': HEAD }, { headRequired: false })
    await buildRequestedImages(parsed, SPEC, {
      workspace: '/w',
      runId: RUN,
      log,
      builder: fakeBuilder().builder,
    })
    expect(warnings).toEqual([
      'Not a pull request: there is no base commit to build, so there is no baseline',
    ])
  })
})

describe('buildRequestedImages: builds that fail', () => {
  const context = (builder: ImageBuilder) => ({
    workspace: '/w',
    baseSha: 'abc123',
    runId: RUN,
    log: recordingLog().log,
    builder,
  })

  it('8: a PR image that does not build is an error naming the build', async () => {
    const parsed = parseOptions({ 'base-image': BASE }, { headRequired: false })
    await expect(
      buildRequestedImages(parsed, SPEC, context(fakeBuilder({ head: 'fails' }).builder)),
    ).rejects.toThrow("Building the pull request's image failed")
  })

  it('9: a base that does not build is "no baseline" with its log', async () => {
    const parsed = parseOptions({ 'head-image': HEAD }, { headRequired: false })
    const built = await buildRequestedImages(
      parsed,
      SPEC,
      context(fakeBuilder({ base: 'fails' }).builder),
    )
    expect(built.gate.base).toBeUndefined()
    expect(built.gate.noBaseline).toBe('base build failed: exit 1')
    expect(built.gate.noBaselineLog).toEqual(['step 2 failed'])
    expect(built.builtTags).toEqual([])
  })

  it('10: both built, the base fails: the PR image is compared without a baseline', async () => {
    const parsed = parseOptions({}, { headRequired: false })
    const built = await buildRequestedImages(
      parsed,
      SPEC,
      context(fakeBuilder({ base: 'fails' }).builder),
    )
    // A built image is read from the engine, never pulled (a registry could have the same tag).
    expect(built.gate.head).toEqual({ transport: 'engine', reference: HEAD_TAG, pull: false })
    expect(built.gate.noBaseline).toBe('base build failed: exit 1')
    expect(built.builtTags).toEqual([HEAD_TAG])
  })
})

describe('removeBuiltImages', () => {
  it('11: removes the built tags on the same engine', async () => {
    const fake = fakeBuilder()
    await removeBuiltImages([HEAD_TAG, BASE_TAG], recordingLog().log, fake.builder)
    expect(fake.calls).toEqual([`cleanup ${HEAD_TAG} ${BASE_TAG}`])
  })

  it('12: nothing built: nothing to remove, and the engine is not looked up', async () => {
    const fake = fakeBuilder()
    let looked = false
    await removeBuiltImages([], recordingLog().log, {
      ...fake.builder,
      engineEnv: () => ((looked = true), Promise.resolve({})),
    })
    expect([fake.calls, looked]).toEqual([[], false])
  })
})

function refText(ref: { transport: string; reference?: string; path?: string }): string {
  return ref.transport === 'engine' ? (ref.reference ?? '') : `${ref.transport}:${ref.path ?? ''}`
}

describe('buildRequestedImages: build times', () => {
  const HEAD_TIME = { seconds: 12.5, steps: 4, cachedSteps: 0 }
  const BASE_TIME = { seconds: 2.5, steps: 4, cachedSteps: 2 }
  /** The fake builder, with the times the real builds measure */
  function timedBuilder(): ImageBuilder {
    const { builder } = fakeBuilder()
    return {
      ...builder,
      buildImage: (_spec, options) =>
        Promise.resolve({ ok: true, tag: options.tag, time: HEAD_TIME }),
      buildBaseAndHead: () =>
        Promise.resolve({
          head: HEAD_TAG,
          base: { tag: BASE_TAG, time: BASE_TIME },
          times: { head: HEAD_TIME, base: BASE_TIME },
        }),
      buildBaseOnly: () =>
        Promise.resolve({ failed: 'base build failed: exit 1', logTail: [], time: BASE_TIME }),
    }
  }
  const context = {
    workspace: '/w',
    baseSha: 'abc123',
    runId: RUN,
    log: recordingLog().log,
    builder: timedBuilder(),
  }

  it('12: both built: each image its time', async () => {
    const built = await buildRequestedImages(
      parseOptions({}, { headRequired: false }),
      SPEC,
      context,
    )
    expect(built.builds).toEqual({ head: HEAD_TIME, base: BASE_TIME })
  })

  it('13: the PR image given, the base did not build: its time is still said', async () => {
    const parsed = parseOptions({ 'head-image': HEAD }, { headRequired: false })
    expect((await buildRequestedImages(parsed, SPEC, context)).builds).toEqual({ base: BASE_TIME })
  })

  it('14: only the PR image built (base image given)', async () => {
    const parsed = parseOptions({ 'base-image': BASE }, { headRequired: false })
    expect((await buildRequestedImages(parsed, SPEC, context)).builds).toEqual({ head: HEAD_TIME })
  })
})
