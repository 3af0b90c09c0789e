/**
 * Configs, manifests and indexes with fields of the wrong JSON type, in archives and OCI layout
 * directories: each is one line naming the archive, the document and the field path, never a
 * TypeError (nor a silent pass that fails later).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readImageArchive } from '../../../src/sources/archive/read-archive.js'
import { readOciDir } from '../../../src/sources/archive/read-oci-dir.js'
import { UserError } from '../../../src/util/errors.js'
import { editLegacy, editOci, type Doc, type Edit } from './edit-layouts.js'
import { chunked } from './fixtures.js'
import { layoutTar, ociLayout, writeLayout } from './layouts.js'

async function messageOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => new Error('the read succeeded'),
    (reason: unknown) => reason,
  )
  if (!(error instanceof UserError)) throw error
  expect(error.message).not.toContain('\n')
  return error.message
}

const history = (doc: Doc) => doc.history as Doc[]
const rootfs = (doc: Doc) => doc.rootfs as Doc

// [#, what is wrong, edit of the config, the field's complaint]
const CONFIG_CASES: Array<[number, string, Edit, string]> = [
  [
    1,
    'history[].created_by a number',
    (c) => void (history(c)[1].created_by = 42),
    'history[1].created_by is a number, expected a string',
  ],
  [
    2,
    'history[].empty_layer a string',
    (c) => void (history(c)[0].empty_layer = 'yes'),
    'history[0].empty_layer is a string, expected a boolean',
  ],
  [
    3,
    'rootfs.diff_ids[] a number',
    (c) => void ((rootfs(c).diff_ids as unknown[])[0] = 7),
    'rootfs.diff_ids[0] is a number, expected a string',
  ],
  [
    4,
    'rootfs.diff_ids not a list',
    (c) => void (rootfs(c).diff_ids = 'sha256:abc'),
    'rootfs.diff_ids is a string, expected an array',
  ],
  [5, 'no rootfs', (c) => void delete c.rootfs, 'rootfs is missing, expected an object'],
  [6, 'os a number', (c) => void (c.os = 7), 'os is a number, expected a string'],
  [
    7,
    'architecture an array',
    (c) => void (c.architecture = ['amd64']),
    'architecture is an array, expected a string',
  ],
  [
    8,
    'config.Env a string',
    (c) => void (c.config = { Env: 'PATH=/bin' }),
    'config.Env is a string, expected an array',
  ],
  [
    9,
    'config.Env[] an object',
    (c) => void (c.config = { Env: [{ PATH: '/bin' }] }),
    'config.Env[0] is an object, expected a string',
  ],
  [
    10,
    'history an object',
    (c) => void (c.history = {}),
    'history is an object, expected an array',
  ],
  [11, 'the config an array', () => [], 'the document is an array, expected an object'],
  [
    12,
    'a diff id that is no digest',
    (c) => void ((rootfs(c).diff_ids as unknown[])[0] = '../x'),
    'rootfs.diff_ids[0] is "../x", expected a digest (algorithm:hex)',
  ],
]

// [#, what is wrong, edit of the manifest or index, the document, the complaint]
const OCI_CASES: Array<[number, string, 'index' | 'manifest', Edit, RegExp]> = [
  [
    1,
    'index platform.os a number',
    'index',
    (i) => void ((i.manifests as Doc[])[0].platform = { os: 1, architecture: 'amd64' }),
    /^docker-archive:pr\.tar has an invalid index\.json: manifests\[0\]\.platform\.os is a number, expected a string$/,
  ],
  [
    2,
    'index size a string',
    'index',
    (i) => void ((i.manifests as Doc[])[0].size = '12'),
    /: manifests\[0\]\.size is a string, expected a non-negative integer$/,
  ],
  [
    3,
    'index digest a path',
    'index',
    (i) => void ((i.manifests as Doc[])[0].digest = '../../etc/passwd'),
    /: manifests\[0\]\.digest is "\.\.\/\.\.\/etc\/passwd", expected a digest \(algorithm:hex\)$/,
  ],
  [
    4,
    'index annotations with a number',
    'index',
    (i) =>
      void ((i.manifests as Doc[])[0].annotations = { 'org.opencontainers.image.ref.name': 1 }),
    /: manifests\[0\]\.annotations\.org\.opencontainers\.image\.ref\.name is a number, expected a string$/,
  ],
  [
    5,
    'manifest layer size negative',
    'manifest',
    (m) => void ((m.layers as Doc[])[0].size = -1),
    /^docker-archive:pr\.tar has an invalid manifest blobs\/sha256\/[0-9a-f]{64}: layers\[0\]\.size is -1, expected a non-negative integer$/,
  ],
  [
    6,
    'manifest layer mediaType a number',
    'manifest',
    (m) => void ((m.layers as Doc[])[1].mediaType = 5),
    /: layers\[1\]\.mediaType is a number, expected a string$/,
  ],
  [
    7,
    'manifest layer without digest',
    'manifest',
    (m) => void delete (m.layers as Doc[])[2].digest,
    /: layers\[2\]\.digest is missing, expected a string$/,
  ],
  [
    8,
    'manifest layers an object',
    'manifest',
    (m) => void (m.layers = {}),
    /: layers is an object, expected an array$/,
  ],
  [
    9,
    'manifest schemaVersion a string',
    'manifest',
    (m) => void (m.schemaVersion = '2'),
    /: schemaVersion is "2", expected 2$/,
  ],
]

const LABEL = 'docker-archive:pr.tar'

let root: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'isg-data-malformed-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

function readTar(archive: Buffer): Promise<unknown> {
  return readImageArchive(chunked(archive, 4093), { label: LABEL })
}

describe('a config with a field of the wrong type', () => {
  test.each(CONFIG_CASES)('%i %s: docker save archive', async (_n, _what, edit, complaint) => {
    const message = await messageOf(readTar(await editLegacy('config', edit)))
    expect(message).toMatch(/^docker-archive:pr\.tar has an invalid config [0-9a-f]{64}\.json: /)
    expect(message.endsWith(`: ${complaint}`)).toBe(true)
  })

  test.each(CONFIG_CASES)('%i %s: OCI layout directory', async (n, _what, edit, complaint) => {
    const dir = await writeLayout(
      root,
      `config-${n}`,
      editOci(await ociLayout(false), 'config', edit),
    )
    const message = await messageOf(readOciDir(dir, { label: `oci:${dir}` }))
    expect(message).toMatch(/^oci:\S+ has an invalid config blobs\/sha256\/[0-9a-f]{64}: /)
    expect(message.endsWith(`: ${complaint}`)).toBe(true)
  })
})

describe('a manifest or index with a field of the wrong type', () => {
  test.each(OCI_CASES)('%i %s: OCI archive', async (_n, _what, part, edit, complaint) => {
    const archive = await layoutTar(editOci(await ociLayout(false), part, edit))
    expect(await messageOf(readTar(archive))).toMatch(complaint)
  })

  test.each(OCI_CASES)('%i %s: OCI layout directory', async (n, _what, part, edit, complaint) => {
    const dir = await writeLayout(root, `oci-${n}`, editOci(await ociLayout(false), part, edit))
    const message = await messageOf(readOciDir(dir, { label: LABEL }))
    expect(message).toMatch(complaint)
  })
})

// [#, what is wrong, edit of docker's manifest.json, the complaint]
const DOCKER_MANIFEST_CASES: Array<[number, string, Edit, string]> = [
  [
    1,
    'a layer path a number',
    (m) => void ((m as unknown as Doc[])[0].Layers = [1, 2, 3]),
    'has an invalid manifest.json: [0].Layers[0] is a number, expected a string',
  ],
  [
    2,
    'RepoTags a string',
    (m) => void ((m as unknown as Doc[])[0].RepoTags = 'app:1'),
    'has an invalid manifest.json: [0].RepoTags is a string, expected an array',
  ],
  [
    3,
    'an object, not a list',
    () => ({}),
    'has an invalid manifest.json: the document is an object, expected an array',
  ],
  [
    4,
    'no Config',
    (m) => void delete (m as unknown as Doc[])[0].Config,
    'has an invalid manifest.json: [0].Config is missing, expected a string',
  ],
  [
    5,
    'a Config outside the archive',
    (m) => void ((m as unknown as Doc[])[0].Config = '../../etc/passwd'),
    ': manifest.json Config: path "../../etc/passwd" points outside the archive',
  ],
  [
    6,
    'a layer outside the archive',
    (m) => void ((m as unknown as Doc[])[0].Layers = ['/etc/shadow']),
    ': manifest.json Layers of image isg-test/archive-legacy:1: path "/etc/shadow" points outside the archive',
  ],
]

describe("docker's manifest.json with a field of the wrong type", () => {
  test.each(DOCKER_MANIFEST_CASES)('%i %s', async (_n, _what, edit, complaint) => {
    const message = await messageOf(readTar(await editLegacy('manifest', edit)))
    expect(message.startsWith(LABEL)).toBe(true)
    expect(message.endsWith(complaint)).toBe(true)
  })
})
