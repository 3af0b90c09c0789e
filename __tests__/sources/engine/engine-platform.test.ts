/**
 * The engine source checks the image's platform with the model's rule (model/platform.ts), the
 * one the registry and archive sources use: no variant asked matches any, arm64 and arm64/v8
 * are the same, and a variant asked is not matched by an image that names none.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import Docker from 'dockerode'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Platform } from '../../../src/model/image.js'
import { readEngineImage } from '../../../src/sources/engine/engine-source.js'
import { ImageNotFoundError } from '../../../src/sources/errors.js'
import { NO_CONFIG, recordingLog } from '../../support/registry-tools.js'

const ID = `sha256:${'e'.repeat(64)}`
const LAYER = `sha256:${'1'.repeat(64)}`

let server: Server
let platform: Platform

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = request.url ?? ''
    const send = (body: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify(body))
    }
    if (/\/info$/.test(url)) return send({ Driver: 'overlay2', DriverStatus: [] })
    if (/\/version$/.test(url)) return send({ Version: '20.10.24', ApiVersion: '1.41' })
    if (/\/images\/.+\/json$/.test(url)) {
      return send({
        Id: ID,
        RepoDigests: [],
        Os: platform.os,
        Architecture: platform.architecture,
        ...(platform.variant ? { Variant: platform.variant } : {}),
        RootFS: { Type: 'layers', Layers: [LAYER] },
      })
    }
    if (/\/images\/.+\/history$/.test(url)) {
      return send([{ Id: ID, CreatedBy: '/bin/sh -c #(nop) COPY file:abc in /app ', Size: 12 }])
    }
    response.writeHead(404, { 'content-type': 'application/json' })
    response.end('{"message":"not here"}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

function read(wanted: Platform) {
  const { port } = server.address() as AddressInfo
  return readEngineImage('app:1', {
    docker: new Docker({ host: '127.0.0.1', port, protocol: 'http' }),
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
    platform = p(actual)
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
