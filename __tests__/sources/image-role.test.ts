import { describe, expect, test } from '@jest/globals'
import { parseSourceRef, type ImageSourceRef } from '../../src/model/reference.js'
import { ImageNotFoundError } from '../../src/sources/errors.js'
import {
  readImageAs,
  roleMessage,
  withMessage,
  type ImageRole,
} from '../../src/sources/image-role.js'
import { recordingLog } from '../support/registry-tools.js'

function ref(text: string): ImageSourceRef {
  const parsed = parseSourceRef(text)
  if ('error' in parsed) throw new Error(parsed.error)
  return parsed
}

describe('roleMessage', () => {
  // [#, role, reference, source message, message with the role]
  const cases: Array<[number, ImageRole, string, string, string]> = [
    [
      1,
      'PR',
      'docker-archive:x.tar',
      'docker-archive:x.tar has an invalid config a.json: history[3].created_by is a number, expected a string',
      'The PR image docker-archive:x.tar has an invalid config a.json: history[3].created_by is a number, expected a string',
    ],
    [
      2,
      'base',
      'docker-archive:x.tar:app:1',
      'docker-archive:x.tar: manifest.json Config: path "../a" points outside the archive',
      'The base image docker-archive:x.tar: manifest.json Config: path "../a" points outside the archive',
    ],
    [
      3,
      'PR',
      'docker-daemon:app:1',
      'Image app:1 is not in the Docker engine (docker-daemon: references are never pulled)',
      'The PR image app:1 is not in the Docker engine (docker-daemon: references are never pulled)',
    ],
    [
      4,
      'base',
      'docker://127.0.0.1:5000/isg/app:1',
      'image 127.0.0.1:5000/isg/app:1 has an invalid manifest sha256:ab: layers[0].size is a string, expected a non-negative integer',
      'The base image 127.0.0.1:5000/isg/app:1 has an invalid manifest sha256:ab: layers[0].size is a string, expected a non-negative integer',
    ],
    [
      5,
      'PR',
      'app',
      'docker.io/library/app:latest has an invalid config sha256:cd: os is a number, expected a string',
      'The PR image docker.io/library/app:latest has an invalid config sha256:cd: os is a number, expected a string',
    ],
    [
      6,
      'PR',
      'oci:out/layout',
      'oci:out/layout: the directory out/layout does not exist',
      'The PR image oci:out/layout: the directory out/layout does not exist',
    ],
    [
      7,
      'base',
      'app:1',
      'app:10 is something else',
      'The base image app:1: app:10 is something else',
    ],
  ]
  test.each(cases)('case %i', (_n, role, reference, message, expected) => {
    expect(roleMessage(message, role, ref(reference))).toBe(expected)
  })
})

describe('readImageAs', () => {
  const context = { log: recordingLog(), credentials: {} }

  test('a missing base archive stays an ImageNotFoundError (no baseline), said of the base', async () => {
    const error = await readImageAs(
      'base',
      ref('docker-archive:/isg-data/none.tar'),
      context,
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImageNotFoundError)
    expect((error as Error).message).toBe(
      'The base image docker-archive:/isg-data/none.tar: the file /isg-data/none.tar does not exist',
    )
  })

  test('the role goes on a copy: an error shared by both reads keeps its message', () => {
    class CodedError extends ImageNotFoundError {
      readonly code = 'MANIFEST_UNKNOWN'
    }
    const shared = new CodedError('app:1 is not there')
    const copy = withMessage(shared, 'The PR image app:1 is not there')
    expect(shared.message).toBe('app:1 is not there')
    expect(copy).toBeInstanceOf(CodedError)
    expect(copy).toBeInstanceOf(ImageNotFoundError)
    expect(copy.message).toBe('The PR image app:1 is not there')
    expect((copy as CodedError).code).toBe('MANIFEST_UNKNOWN')
    expect(copy.cause).toBe(shared)
    expect(copy.name).toBe('ImageNotFoundError')
  })
})
