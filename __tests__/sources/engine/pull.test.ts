import { describe, expect, it } from '@jest/globals'
import type Docker from 'dockerode'
import { Readable } from 'node:stream'
import { pullImage } from '../../../src/sources/engine/pull.js'
import { UserError } from '../../../src/util/errors.js'
import type { Logger } from '../../../src/util/log.js'

/** A docker.pull that answers with the given JSON-lines progress stream, in odd chunks. */
function fakeDocker(events: object[], chunk = 7): { docker: Docker; calls: unknown[] } {
  const calls: unknown[] = []
  const text = events.map((e) => JSON.stringify(e)).join('\r\n')
  const pieces = Array.from({ length: Math.ceil(text.length / chunk) }, (_, i) =>
    text.slice(i * chunk, (i + 1) * chunk),
  )
  const docker = {
    pull: async (reference: string, options: unknown) => {
      calls.push([reference, options])
      return Readable.from(pieces)
    },
  } as unknown as Docker
  return { docker, calls }
}

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    debug() {},
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
  }
}

describe('pullImage', () => {
  it('logs one line per layer state change, not every progress tick', async () => {
    const { docker, calls } = fakeDocker([
      { status: 'Pulling from isg/app', id: 'pr' },
      { status: 'Downloading', id: 'abc', progressDetail: { current: 1 } },
      { status: 'Downloading', id: 'abc', progressDetail: { current: 2 } },
      { status: 'Pull complete', id: 'abc' },
      { status: 'Digest: sha256:00' },
    ])
    const log = recorder()
    await pullImage(docker, 'reg/isg/app:pr', { username: 'u', password: 'p' }, log, 'linux/arm64')
    expect(log.lines).toEqual([
      'Pulling reg/isg/app:pr as u',
      '  pr: Pulling from isg/app',
      '  abc: Downloading',
      '  abc: Pull complete',
      '  Digest: sha256:00',
    ])
    expect(calls).toEqual([
      ['reg/isg/app:pr', { authconfig: { username: 'u', password: 'p' }, platform: 'linux/arm64' }],
    ])
  })

  it('treats an error reported inside the stream (after HTTP 200) as an error', async () => {
    const { docker } = fakeDocker([
      { status: 'Downloading', id: 'abc' },
      { errorDetail: { message: 'unexpected EOF' }, error: 'unexpected EOF' },
    ])
    const failure = pullImage(docker, 'app:1', undefined, recorder())
    await expect(failure).rejects.toThrow(UserError)
    await expect(
      pullImage(fakeDocker([{ error: 'unexpected EOF' }]).docker, 'app:1', undefined, recorder()),
    ).rejects.toThrow('Pulling app:1 failed: unexpected EOF')
  })
})
