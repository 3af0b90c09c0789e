import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readEngineImage } from '../../../src/sources/engine/engine-source.js'
import { ImageNotFoundError } from '../../../src/sources/errors.js'
import type { Logger } from '../../../src/util/log.js'
import {
  AUTH_PASS,
  AUTH_REGISTRY,
  AUTH_USER,
  buildFixtures,
  dockerCli,
  dockerFor,
  ENGINES,
  REGISTRY,
} from '../../support/engines.js'

/** Pulling a reference the engine does not have, from the real registries of the testbed. */
describe.each(ENGINES)('pulling on the $name engine', (engine) => {
  const tag = `pull-${engine.name}-${process.pid}`
  const open = `${REGISTRY}/isg/app:${tag}`
  const authed = `${AUTH_REGISTRY}/isg/app:${tag}`
  const config = mkdtempSync(join(tmpdir(), 'isg-docker-config-'))
  const cli = (args: string[]) => dockerCli(engine, ['--config', config, ...args])
  const lines: string[] = []
  const log: Logger = { debug() {}, info: (m) => lines.push(m), warning: (m) => lines.push(m) }
  const read = (reference: string, credentials = {}) =>
    readEngineImage(reference, {
      docker: dockerFor(engine),
      log,
      credentials: { dockerConfigDir: join(tmpdir(), 'isg-no-config'), ...credentials },
      pull: true,
    })

  beforeAll(() => {
    buildFixtures(engine)
    cli(['tag', 'isg-fixture/app:base', open])
    cli(['tag', 'isg-fixture/app:base', authed])
    cli(['push', open])
    cli(['login', AUTH_REGISTRY, '-u', AUTH_USER, '-p', AUTH_PASS])
    cli(['push', authed])
    cli(['rmi', open, authed])
  })
  afterAll(() => rmSync(config, { recursive: true, force: true }))

  it('pulls a missing image from an open registry, logging progress', async () => {
    const image = await read(open)
    expect(image.layers.length).toBeGreaterThan(3)
    expect(image.digest).toMatch(/^sha256:/)
    expect(lines.join('\n')).toMatch(/Pulling .*isg\/app/)
    cli(['rmi', open])
  })

  it('pulls with credentials from the inputs', async () => {
    const image = await read(authed, {
      username: AUTH_USER,
      password: AUTH_PASS,
      registry: AUTH_REGISTRY,
    })
    expect(image.layers.length).toBeGreaterThan(3)
    cli(['rmi', authed])
  })

  it('never hands the engine credentials bound to another registry', async () => {
    const elsewhere = { username: AUTH_USER, password: AUTH_PASS, registry: REGISTRY }
    await expect(read(authed, elsewhere)).rejects.toThrow(
      /denied by 127\.0\.0\.1:5001.*no basic auth credentials/,
    )
  })

  it('pulls with credentials from the Docker config that docker login wrote', async () => {
    const image = await read(authed, { dockerConfigDir: config })
    expect(image.layers.length).toBeGreaterThan(3)
    cli(['rmi', authed])
  })

  it('says which registry denied the pull and what to do', async () => {
    await expect(read(authed)).rejects.toThrow(/127\.0\.0\.1:5001.*registry-username/)
  })

  it('reports an image the registry does not have as not found', async () => {
    await expect(read(`${REGISTRY}/isg/app:does-not-exist`)).rejects.toThrow(ImageNotFoundError)
  })
})
