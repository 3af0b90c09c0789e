/**
 * `docker save` of both real engines, streamed from the CLI's stdout into readImageArchive.
 * The overlay2 engine's `docker history` sizes are the reference for content sizes; the same
 * Dockerfile built on the containerd image store must give the same size at every step.
 * Never skips: an unreachable engine (scripts/testbed.sh up) fails every test here.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  readImageArchive,
  type ArchiveContents,
  type ArchiveImage,
} from '../../../src/sources/archive/read-archive.js'
import { ENGINES, dockerCli, requireEngine, type TestEngine } from '../../support/engines.js'

const TAG = 'isg-test/archive-engine:1'
const BUSYBOX = '/bin/busybox'
const [classic, containerd] = ENGINES

// Every kind of entry the content size treats differently: files, symlinks (one non-ASCII),
// a hard link to a lower layer's file (copied up, counted once), whiteouts and an opaque dir,
// two identical COPY layers (the classic engine saves the second as a symlink), empty layers.
const DOCKERFILE = `FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /app/d /app/e && echo hi > /app/x && ln -s /app/x /app/y && ln /app/x /app/z && echo 1 > /app/d/f && echo 2 > /app/e/g
ENV ISG_FIXTURE=archive
COPY marker.txt /marker.txt
COPY marker.txt /marker.txt
RUN true
RUN rm /app/y /app/e/g && rm -rf /app/d && mkdir /app/d && ln /bin/busybox /app/bb && printf '\\303\\251' > /app/u && ln -s /app/u /app/ä
RUN head -c 300000 /dev/urandom > /app/random && head -c 200000 /dev/zero > /app/zeros
`

let context: string

function buildFixture(engine: TestEngine): void {
  requireEngine(engine)
  dockerCli(engine, ['build', '--network', 'host', '-q', '-t', TAG, context])
}

/** Pipes `docker save` (the CLI, as a user would run it) into readImageArchive. */
async function saveAndRead(engine: TestEngine): Promise<ArchiveContents> {
  const child = spawn('docker', ['save', TAG], {
    env: { ...process.env, DOCKER_HOST: engine.host },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stderr: Buffer[] = []
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve()
      else reject(new Error(`docker save exited ${code}: ${Buffer.concat(stderr).toString()}`))
    })
  })
  const [contents] = await Promise.all([readImageArchive(child.stdout), exited])
  return contents
}

/** `docker history` sizes of the classic engine, one per config history step, oldest first. */
function classicStepSizes(): number[] {
  const rows = dockerCli(classic, [
    'history',
    '--no-trunc',
    '--human=false',
    '--format',
    '{{.Size}}',
    TAG,
  ])
  return rows.trim().split('\n').map(Number).reverse()
}

/** The history step (index into config.history) that made each layer. */
function layerSteps(image: ArchiveImage): number[] {
  const history = image.config.history ?? []
  return history.flatMap((step, i) => (step.empty_layer === true ? [] : [i]))
}

function inspectLayers(engine: TestEngine): string[] {
  return JSON.parse(
    dockerCli(engine, ['image', 'inspect', '--format', '{{json .RootFS.Layers}}', TAG]),
  ) as string[]
}

beforeAll(() => {
  if (!existsSync(BUSYBOX))
    throw new Error(`${BUSYBOX} is missing: apt-get install busybox-static (scripts/testbed.sh up)`)
  context = mkdtempSync(join(tmpdir(), 'isg-archive-engine-'))
  copyFileSync(BUSYBOX, join(context, 'busybox'))
  writeFileSync(join(context, 'marker.txt'), 'same content\n')
  // a fixed mtime, so both COPY steps write byte-identical layers
  utimesSync(join(context, 'marker.txt'), 1e9, 1e9)
  writeFileSync(join(context, 'Dockerfile'), DOCKERFILE)
  buildFixture(classic)
  buildFixture(containerd)
})

afterAll(() => {
  if (context !== undefined) rmSync(context, { recursive: true, force: true })
})

describe('docker save of the classic (overlay2) engine', () => {
  test('every layer has the content size docker history shows', async () => {
    const contents = await saveAndRead(classic)
    expect(contents.format).toBe('docker-archive')
    const [image] = contents.images
    expect(contents.images).toHaveLength(1)
    expect(image.repoTags).toEqual([TAG])
    expect(image.layers.map((layer) => layer.diffId)).toEqual(inspectLayers(classic))
    const sizes = classicStepSizes()
    expect(sizes).toHaveLength(image.config.history?.length ?? -1)
    const steps = layerSteps(image)
    expect(image.layers.map((layer) => layer.uncompressedBytes)).toEqual(steps.map((s) => sizes[s]))
    for (const layer of image.layers) {
      expect(layer.compression).toBe('none')
      expect(layer.compressedBytes).toBeUndefined()
    }
  })

  test('the repeated COPY layer is saved as a symlink and still measured', async () => {
    const listing = execFileSync('bash', ['-c', `docker save ${TAG} | tar -tv`], {
      env: { ...process.env, DOCKER_HOST: classic.host },
      encoding: 'utf8',
    })
    expect(listing).toMatch(/layer\.tar -> \.\.\/[0-9a-f]{64}\/layer\.tar/)
    const [image] = (await saveAndRead(classic)).images
    const diffIds = image.layers.map((layer) => layer.diffId)
    const repeated = diffIds.findIndex((id, i) => diffIds.indexOf(id) !== i)
    expect(repeated).toBeGreaterThan(0)
    expect(image.layers[repeated].uncompressedBytes).toBe(13)
  })
})

describe('docker save of the containerd image store', () => {
  test('every layer has the classic engine’s content size for the same step', async () => {
    const [image] = (await saveAndRead(containerd)).images
    expect(image.layers.map((layer) => layer.diffId)).toEqual(inspectLayers(containerd))
    const sizes = classicStepSizes()
    const steps = layerSteps(image)
    expect(steps).toHaveLength(image.layers.length)
    expect(image.layers.map((layer) => layer.uncompressedBytes)).toEqual(steps.map((s) => sizes[s]))
  })

  test('compressed sizes are the manifest’s layer descriptor sizes', async () => {
    const contents = await saveAndRead(containerd)
    const [image] = contents.images
    // The manifest read independently, with tar(1), from another save of the same image
    const file = join(context, 'containerd-save.tar')
    dockerCli(containerd, ['save', '-o', file, TAG])
    const tarJson = (path: string): unknown =>
      JSON.parse(execFileSync('tar', ['-xOf', file, path], { encoding: 'utf8' }))
    const index = tarJson('index.json') as { manifests: Array<{ digest: string }> }
    const manifest = tarJson(`blobs/sha256/${index.manifests[0].digest.slice(7)}`) as {
      layers: Array<{ digest: string; size: number }>
    }
    expect(image.manifestDescriptor?.digest).toBe(index.manifests[0].digest)
    expect(image.layers.map((layer) => layer.compressedBytes)).toEqual(
      manifest.layers.map((l) => l.size),
    )
    expect(image.layers.map((layer) => layer.digest)).toEqual(manifest.layers.map((l) => l.digest))
    expect(image.layers.map((layer) => layer.compression)).toEqual(
      manifest.layers.map(() => 'gzip'),
    )
    expect(contents.format).toBe('docker-archive')
    expect(image.repoTags).toEqual([TAG])
  })
})
