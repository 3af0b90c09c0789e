import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { editLegacy } from '../sources/archive/edit-layouts.js'
import { layoutTar, ociLayout, type Layout } from '../sources/archive/layouts.js'
import { ROOT } from '../support/engines.js'
import { type FakeGitHub } from '../support/fake-github.js'
import {
  ensureBundle,
  pullRequestEvent,
  runAction,
  useFakeGitHub,
  workflowCommands,
} from '../support/run-action.js'
import { describeRun, expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * Corrupt archives as the PR image, through the built CLI (`node dist/cli.js compare`) and the
 * built action: truncated gzip and zstd layers, a layer that is not what its digest says, a
 * manifest naming a layer the archive lacks, entries that climb out with `../`, a declared size
 * far beyond the data, an empty file, a directory or a file where the other is expected. Each is
 * one line naming the PR image and what is wrong with it; exit 3 (CLI) or 1 (action); no stack
 * trace; no comment.
 */
const BASE = 'docker-archive:examples/base.tar'
let scratch: string
let fake: FakeGitHub

type Doc = Record<string, unknown>
const parse = (data: Buffer) => JSON.parse(data.toString('utf8')) as Doc
const blobPath = (digest: string) => `blobs/sha256/${digest.slice(7)}`
const find = (layout: Layout, path: string) => {
  const entry = layout.find(([name]) => name === path)
  if (!entry) throw new Error(`no ${path}`)
  return entry[1]
}

/** The path of layer `i` (0: gzip, 1: zstd, 2: plain tar) of the test OCI layout. */
function layerPath(layout: Layout, i: number): string {
  const index = parse(find(layout, 'index.json'))
  const manifest = parse(find(layout, blobPath((index.manifests as Doc[])[0].digest as string)))
  return blobPath((manifest.layers as Doc[])[i].digest as string)
}

/** The layout with layer `i`'s bytes changed by `edit` (digests and sizes left as they were). */
async function withLayer(i: number, edit: (data: Buffer) => Buffer | undefined): Promise<Layout> {
  const layout = await ociLayout(false)
  const path = layerPath(layout, i)
  return layout.flatMap(([name, data]): Layout => {
    if (name !== path) return [[name, data]]
    const edited = edit(data)
    return edited ? [[name, edited]] : []
  })
}

async function writeArchive(
  name: string,
  layout: Layout,
  extra = [] as Array<{ name: string; data: Buffer }>,
) {
  const path = join(scratch, name)
  writeFileSync(path, await layoutTar(layout, extra))
  return path
}

/** A tar whose first entry's header says it is `size` bytes long (checksum fixed). */
async function claimingSize(size: number): Promise<Buffer> {
  const tar = Buffer.from(await layoutTar(await ociLayout(false)))
  tar.write(size.toString(8).padStart(11, '0') + '\0', 124, 12, 'ascii')
  tar.fill(' ', 148, 156)
  let sum = 0
  for (let i = 0; i < 512; i += 1) sum += tar[i]
  tar.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii')
  return tar
}

function cli(head: string) {
  return spawnSync('node', [join(ROOT, 'dist/cli.js'), 'compare', BASE, head], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  })
}

/** Exit 3, nothing on stdout, one line on stderr: returned without the program name. */
function failsWithOneLine(head: string): string {
  const run = cli(head)
  const context = `exit ${run.status}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`
  if (run.status !== 3) throw new Error(`expected exit 3; ${context}`)
  expect(run.stdout).toBe('')
  const lines = run.stderr.trimEnd().split('\n')
  const last = lines.at(-1) ?? ''
  if (!last.startsWith('image-size-gate: ')) throw new Error(`no error line; ${context}`)
  expect(run.stderr).not.toMatch(/^\s+at /m)
  expect(run.stderr).not.toMatch(/\b(TypeError|RangeError|ERR_[A-Z_]+)\b/)
  expect(last.length).toBeLessThan(600)
  if (process.env.SHOW_ERRORS) console.log(last)
  return last.slice('image-size-gate: '.length)
}

beforeAll(async () => {
  await ensureBundle()
  scratch = mkdtempSync(join(tmpdir(), 'isg-faults-archives-'))
})

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true })
})

useFakeGitHub((f) => (fake = f))

describe('corrupt layers (CLI)', () => {
  test('a gzip layer cut in half', async () => {
    const path = await writeArchive(
      'gzip-cut.tar',
      await withLayer(0, (d) => d.subarray(0, d.length >> 1)),
    )
    expect(failsWithOneLine(`oci-archive:${path}`)).toMatch(
      new RegExp(`^The PR image oci-archive:${path}.*(truncated|bytes but its manifest says)`),
    )
  })

  test('a zstd layer cut in half', async () => {
    const path = await writeArchive(
      'zstd-cut.tar',
      await withLayer(1, (d) => d.subarray(0, d.length >> 1)),
    )
    expect(failsWithOneLine(`oci-archive:${path}`)).toMatch(
      new RegExp(`^The PR image oci-archive:${path}.*(truncated|bytes but its manifest says)`),
    )
  })

  test('a layer whose bytes do not match its digest', async () => {
    const path = await writeArchive(
      'digest.tar',
      await withLayer(2, (d) => {
        const copy = Buffer.from(d)
        copy[600] ^= 0xff // file data of the first entry, not its header
        return copy
      }),
    )
    expect(failsWithOneLine(`oci-archive:${path}`)).toMatch(
      new RegExp(
        `^The PR image oci-archive:${path}.*does not match its digest sha256:[0-9a-f]{64}: its bytes hash to sha256:[0-9a-f]{64}; the archive is corrupt`,
      ),
    )
  })

  test('a manifest naming a layer the archive lacks', async () => {
    const path = await writeArchive('missing-layer.tar', await withLayer(2, () => undefined))
    expect(failsWithOneLine(`oci-archive:${path}`)).toMatch(
      new RegExp(
        `^The PR image oci-archive:${path} has no blobs/sha256/[0-9a-f]{64} \\(layer 3 of manifest`,
      ),
    )
  })

  test('a declared size far beyond the data', async () => {
    const path = join(scratch, 'huge.tar')
    writeFileSync(path, await claimingSize(8 * 1024 ** 3 - 1))
    expect(failsWithOneLine(`oci-archive:${path}`)).toMatch(
      new RegExp(`^The PR image oci-archive:${path}.*(truncated|corrupt)`),
    )
  })

  test('a layer descriptor whose size is 1e308', async () => {
    const layout = await ociLayout(false)
    const path = join(scratch, 'size-1e308.tar')
    const index = parse(find(layout, 'index.json'))
    const manifestPath = blobPath((index.manifests as Doc[])[0].digest as string)
    const text = find(layout, manifestPath).toString('utf8')
    const manifest = parse(find(layout, manifestPath))
    const size = String((manifest.layers as Doc[])[2].size)
    // same digest check would fail first, so the index points at the edited manifest
    const edited = Buffer.from(text.replace(`"size":${size}`, '"size":1e308'))
    const { createHash } = await import('node:crypto')
    const digest = `sha256:${createHash('sha256').update(edited).digest('hex')}`
    const newIndex = {
      ...index,
      manifests: [{ ...(index.manifests as Doc[])[0], digest, size: edited.length }],
    }
    const out: Layout = [
      ...layout.filter(([name]) => name !== 'index.json'),
      [blobPath(digest), edited],
      ['index.json', Buffer.from(JSON.stringify(newIndex))],
    ]
    writeFileSync(path, await layoutTar(out))
    expect(failsWithOneLine(`oci-archive:${path}`)).toMatch(
      new RegExp(`^The PR image oci-archive:${path}`),
    )
  })
})

describe('paths and files (CLI)', () => {
  test('entries that climb out with ../ are never followed', async () => {
    const path = await writeArchive('escape.tar', await ociLayout(false), [
      { name: '../../../tmp/isg-escaped', data: Buffer.from('x') },
    ])
    const run = cli(`oci-archive:${path}`)
    // nothing is extracted: an entry no manifest names is passed over, and nothing written
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' })
    expect(run.stdout).toMatch(/^image-size-gate: PASS/)
    const { existsSync } = await import('node:fs')
    expect(existsSync('/tmp/isg-escaped')).toBe(false)
  })

  test('a legacy manifest.json layer path that climbs out with ../', async () => {
    const path = join(scratch, 'escape-manifest.tar')
    writeFileSync(
      path,
      await editLegacy('manifest', (m) => {
        ;((m as unknown as Doc[])[0].Layers as string[])[1] = '../../../etc/passwd'
      }),
    )
    expect(failsWithOneLine(`docker-archive:${path}`)).toMatch(
      new RegExp(
        `^The PR image docker-archive:${path}.*"\\.\\./\\.\\./\\.\\./etc/passwd" points outside the archive`,
      ),
    )
  })

  test('an empty file', () => {
    const path = join(scratch, 'empty.tar')
    writeFileSync(path, '')
    expect(failsWithOneLine(`docker-archive:${path}`)).toBe(
      `The PR image docker-archive:${path} is empty (0 bytes)`,
    )
  })

  test('a directory where an archive file is expected', () => {
    const path = join(scratch, 'a-directory.tar')
    mkdirSync(path)
    expect(failsWithOneLine(`docker-archive:${path}`)).toMatch(
      new RegExp(
        `^The PR image docker-archive:${path}: ${path} is not a file; docker-archive: and oci-archive: take a tarball$`,
      ),
    )
  })

  test('a file where an OCI layout directory is expected', () => {
    const path = join(scratch, 'a-file')
    writeFileSync(path, 'not a directory')
    expect(failsWithOneLine(`oci:${path}`)).toMatch(
      new RegExp(`^The PR image oci:${path}.*not a directory`),
    )
  })
})

describe('through the built action', () => {
  test('PR #331: a truncated layer: exit 1, one error, no comment', async () => {
    const path = await writeArchive(
      'action-gzip-cut.tar',
      await withLayer(0, (d) => d.subarray(0, d.length >> 1)),
    )
    const run = await runAction({
      inputs: { 'base-image': BASE, 'head-image': `oci-archive:${path}` },
      event: pullRequestEvent(331),
      api: fake.url,
    })
    expectExit(run, 1)
    expectNoStackTrace(run)
    const errors = workflowCommands(run.stdout, 'error')
    if (errors.length !== 1) throw new Error(`expected one ::error; ${describeRun(run)}`)
    expect(errors[0]).toMatch(/^The PR image oci-archive:/)
    expect(fake.state.comments.filter((c) => c.issueNumber === 331)).toEqual([])
  })
})
