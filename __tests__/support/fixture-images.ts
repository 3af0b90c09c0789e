/**
 * The file-analysis fixtures (__tests__/fixtures/files/<name>): each cause of issue 9 as a
 * committed Dockerfile and context, with a clean version of the same app, plus the file-system
 * mechanics (whiteouts, opaque directories, type changes, links). Built on an engine, saved,
 * pushed to the loopback registry (gzip) and re-packed with zstd layers (an OCI layout and a
 * registry tag), each step cached by the fixture's content hash so repeated runs are fast.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { buildFixtures, dockerCli, ENGINES, REGISTRY, ROOT, type TestEngine } from './engines.js'
import { putManifest, pushImage, tempDockerConfig, uploadBlob } from './registry-tools.js'

export const FIXTURES_DIR = join(ROOT, '__tests__/fixtures/files')
const CACHE = join(tmpdir(), 'isg-files-cache')
const COUNTER = join(ROOT, '__tests__/support/independent-count.py')
/** Bump to rebuild every fixture (the hash also covers every committed file of a fixture) */
const RECIPE = 'files-fixtures-2'

export type Variant = 'cause' | 'clean'

export interface FilesFixture {
  name: string
  /** The finding the cause must produce (and the clean version must not); none: mechanics */
  finding?: string
  /** Path prefixes whose visible bytes are the finding's evidence */
  prefixes: string[]
  /** Has a clean.Dockerfile */
  clean: boolean
}

export const FILES_FIXTURES: FilesFixture[] = [
  {
    name: 'apt-cache',
    finding: 'package-cache-left',
    prefixes: ['/var/lib/apt/lists', '/var/cache/apt/archives'],
    clean: true,
  },
  { name: 'pip-cache', finding: 'package-cache-left', prefixes: ['/root/.cache/pip'], clean: true },
  { name: 'npm-cache', finding: 'package-cache-left', prefixes: ['/root/.npm'], clean: true },
  {
    name: 'build-tools',
    finding: 'build-tools-in-final-image',
    prefixes: ['/usr/include', '/usr/lib/gcc', '/usr/lib/x86_64-linux-gnu/libfoo.a'],
    clean: true,
  },
  {
    name: 'context-leak',
    finding: 'build-context-leak',
    // Dockerfiles copied into the image count as CI files
    prefixes: [
      '/app/.git',
      '/app/tests',
      '/app/docs',
      '/app/.github',
      '/app/Dockerfile',
      '/app/clean.Dockerfile',
    ],
    clean: true,
  },
  {
    name: 'secret-file',
    finding: 'secret-file',
    prefixes: ['/app/.env', '/root/.npmrc', '/app/deploy'],
    clean: true,
  },
  {
    name: 'dev-dependencies',
    finding: 'dev-dependencies',
    prefixes: ['/app/node_modules/mocha'],
    clean: true,
  },
  {
    name: 'deleted-later',
    finding: 'deleted-in-later-layer',
    prefixes: ['/opt/build'],
    clean: true,
  },
  { name: 'fat-base', finding: 'fat-base-image', prefixes: ['/usr/share'], clean: true },
  { name: 'opaque-dir', prefixes: ['/srv/data'], clean: false },
  { name: 'dir-delete', prefixes: ['/var/tmp'], clean: false },
  { name: 'type-change', prefixes: ['/etc/thing', '/etc/flip'], clean: false },
  { name: 'links', prefixes: ['/data'], clean: false },
  { name: 'overwrite', prefixes: ['/app'], clean: false },
]

/** What independent-count.py says about one image */
export interface IndependentCount {
  tags: string[]
  layers: number
  count: number
  bytes: number
  reclaimableBytes: number
  hiddenCount: number
  prefixes: Record<string, { count: number; bytes: number; hiddenBytes: number }>
  view: Record<string, [kind: string, bytes: number, layer: number]>
}

/** One built variant of a fixture and every place it can be read from */
export interface BuiltFixture {
  fixture: FilesFixture
  variant: Variant
  /** The local tag on both engines */
  tag: string
  /** docker save of the classic engine (docker-archive, uncompressed layer.tar) */
  archive: string
  /** docker save of the containerd store (OCI layout, gzip layers) */
  ociArchive: string
  /** An OCI layout directory with zstd layers */
  zstdDir: string
  /** In the loopback registry: gzip layers (docker push) and zstd layers */
  registryRef: string
  zstdRef: string
  /** The independent count of each engine's save */
  counts: { classic: IndependentCount; containerd: IndependentCount }
}

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => statSync(join(dir, p), { throwIfNoEntry: false })?.isFile() ?? false)
    .sort()
}

/** sha256 of the recipe and every committed file of the fixture (paths and bytes) */
export function fixtureHash(name: string): string {
  const dir = join(FIXTURES_DIR, name)
  const hash = createHash('sha256').update(RECIPE)
  for (const file of filesBelow(dir))
    hash.update(`\0${file}\0`).update(readFileSync(join(dir, file)))
  return hash.digest('hex').slice(0, 12)
}

/** Total bytes of the committed files below `path` of a fixture (a file or a directory) */
export function committedBytes(name: string, path: string): number {
  const full = join(FIXTURES_DIR, name, path)
  if (statSync(full).isFile()) return statSync(full).size
  return filesBelow(full).reduce((sum, f) => sum + statSync(join(full, f)).size, 0)
}

/** The context as Docker must see it: git cannot track a nested .git, so it is stored as dot-git */
function stageContext(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `isg-files-${name}-`))
  cpSync(join(FIXTURES_DIR, name), dir, { recursive: true, verbatimSymlinks: true })
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort().reverse()) {
    const base = entry.split('/').pop() ?? ''
    if (base.startsWith('dot-')) {
      renameSync(join(dir, entry), join(dir, `${entry.slice(0, -base.length)}.${base.slice(4)}`))
    }
  }
  if (name === 'fat-base') writeRootFilesystems(dir)
  return dir
}

/** `n` bytes that do not compress, the same on every run */
function pseudoRandom(n: number, seed: string): Buffer {
  const blocks: Buffer[] = []
  for (let i = 0; blocks.length * 32 < n; i++) {
    blocks.push(createHash('sha256').update(`${seed}:${i}`).digest())
  }
  return Buffer.concat(blocks).subarray(0, n)
}

/**
 * The fat-base fixture's two base images start from root file systems of their own, as real
 * full and -slim variants do: busybox and os-release, and in the full one 1,500,000 bytes under
 * /usr/share. Deterministic tars (GNU tar), so the engine's build cache keeps them.
 */
function writeRootFilesystems(context: string): void {
  for (const variant of ['slim', 'full']) {
    const root = mkdtempSync(join(tmpdir(), `isg-rootfs-${variant}-`))
    try {
      mkdirSync(join(root, 'bin'))
      mkdirSync(join(root, 'etc'))
      cpSync('/bin/busybox', join(root, 'bin/busybox'))
      cpSync(join(context, 'os-release'), join(root, 'etc/os-release'))
      if (variant === 'full') {
        mkdirSync(join(root, 'usr/share/doc/base'), { recursive: true })
        mkdirSync(join(root, 'usr/share/locale'), { recursive: true })
        writeFileSync(join(root, 'usr/share/doc/base/manual.bin'), pseudoRandom(1_000_000, 'doc'))
        writeFileSync(join(root, 'usr/share/locale/all.bin'), pseudoRandom(500_000, 'locale'))
      }
      const tar = join(context, `rootfs-${variant}.tar`)
      const flags = ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner']
      execFileSync('tar', [...flags, '-C', root, '-cf', tar, '.'])
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  }
}

function hasImage(engine: TestEngine, tag: string): boolean {
  try {
    dockerCli(engine, ['image', 'inspect', '--format', '{{.Id}}', tag])
    return true
  } catch {
    return false
  }
}

function build(
  engine: TestEngine,
  tag: string,
  dockerfile: string,
  context: string,
  args: string[],
) {
  if (hasImage(engine, tag)) return
  const buildArgs = args.flatMap((a) => ['--build-arg', a])
  dockerCli(engine, [
    'build',
    '-q',
    '--network',
    'host',
    ...buildArgs,
    '-t',
    tag,
    '-f',
    join(context, dockerfile),
    context,
  ])
}

export function fixtureTag(name: string, variant: Variant): string {
  return `isg-files/${name}:${variant}-${fixtureHash(name)}`
}

/** Builds one fixture's variants on the engine (the fat-base fixture builds its two bases first) */
export function buildFixtureImages(engine: TestEngine, fixture: FilesFixture): void {
  buildFixtures(engine) // isg-fixture/busybox:1
  const variants: Variant[] = fixture.clean ? ['cause', 'clean'] : ['cause']
  if (variants.every((v) => hasImage(engine, fixtureTag(fixture.name, v)))) return
  const context = stageContext(fixture.name)
  try {
    const hash = fixtureHash(fixture.name)
    const bases: Record<Variant, string[]> = { cause: [], clean: [] }
    if (fixture.name === 'fat-base') {
      for (const [variant, size] of [
        ['cause', 'full'],
        ['clean', 'slim'],
      ] as const) {
        const base = `isg-files/fat-base-${size}:${hash}`
        build(engine, base, `base-${size}.Dockerfile`, context, [])
        bases[variant] = [`BASE=${base}`]
      }
    }
    for (const variant of variants) {
      const file = variant === 'cause' ? 'Dockerfile' : 'clean.Dockerfile'
      build(engine, fixtureTag(fixture.name, variant), file, context, bases[variant])
    }
  } finally {
    rmSync(context, { recursive: true, force: true })
  }
}

function cachePath(...parts: string[]): string {
  const path = join(CACHE, ...parts)
  mkdirSync(join(path, '..'), { recursive: true })
  return path
}

/** `docker save` of a tag, kept in the cache */
export function saveImage(engine: TestEngine, tag: string): string {
  const file = cachePath(engine.name, `${tag.replace(/[/:]/g, '_')}.tar`)
  if (!existsSync(file)) {
    dockerCli(engine, ['save', '-o', `${file}.part`, tag])
    renameSync(`${file}.part`, file)
  }
  return file
}

/** Runs the independent counter on a `docker save` tar */
export function countSave(file: string, prefixes: string[] = []): IndependentCount[] {
  const args = [COUNTER, file, '--list', ...prefixes.flatMap((p) => ['--prefix', p])]
  const out = execFileSync('python3', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
  return (JSON.parse(out) as { images: IndependentCount[] }).images
}

async function hasManifest(ref: string): Promise<boolean> {
  const [registry, rest] = [ref.slice(0, ref.indexOf('/')), ref.slice(ref.indexOf('/') + 1)]
  const [repository, tag] = rest.split(':')
  const response = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      accept:
        'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
    },
  })
  return response.ok
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json'
const ZSTD_LAYER = 'application/vnd.oci.image.layer.v1.tar+zstd'

/** The zstd CLI (Debian's zstd package; Node 20 cannot compress zstd) */
function zstd(file: string): Buffer {
  try {
    return execFileSync('zstd', ['-q', '-c', '-3', file], { maxBuffer: 512 * 1024 * 1024 })
  } catch (error) {
    throw new Error(`zstd failed on ${file}: is the zstd CLI installed (apt-get install zstd)?`, {
      cause: error,
    })
  }
}

/**
 * Re-packs a classic `docker save` (uncompressed layer.tar) as an OCI layout with zstd layers
 * (the zstd CLI), and pushes the same blobs to the registry under `zstdRef`.
 */
async function writeZstd(archive: string, dir: string, zstdRef: string): Promise<void> {
  const [registry, rest] = [
    zstdRef.slice(0, zstdRef.indexOf('/')),
    zstdRef.slice(zstdRef.indexOf('/') + 1),
  ]
  const [repository, tag] = rest.split(':')
  const done = existsSync(join(dir, 'index.json'))
  if (done && (await hasManifest(zstdRef))) return
  const work = mkdtempSync(join(tmpdir(), 'isg-files-zstd-'))
  try {
    execFileSync('tar', ['-xf', archive, '-C', work])
    const [entry] = JSON.parse(readFileSync(join(work, 'manifest.json'), 'utf8')) as Array<{
      Config: string
      Layers: string[]
    }>
    const blobs = join(dir, 'blobs/sha256')
    mkdirSync(blobs, { recursive: true })
    const add = async (data: Buffer, mediaType: string) => {
      const descriptor = await uploadBlob(registry, repository, data, mediaType)
      writeFileSync(join(blobs, descriptor.digest.slice(7)), data)
      return descriptor
    }
    const layers = []
    for (const layer of entry.Layers) {
      const zst = zstd(join(work, layer))
      layers.push(await add(zst, ZSTD_LAYER))
    }
    const config = await add(readFileSync(join(work, entry.Config)), OCI_CONFIG)
    const manifest = { schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers }
    const descriptor = await putManifest(registry, repository, tag, OCI_MANIFEST, manifest)
    writeFileSync(join(blobs, descriptor.digest.slice(7)), JSON.stringify(manifest))
    writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }))
    const index = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ ...descriptor, annotations: { 'org.opencontainers.image.ref.name': tag } }],
    }
    writeFileSync(join(dir, 'index.json'), JSON.stringify(index))
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/**
 * Builds a fixture on both engines, saves and counts each, pushes it (gzip, from the classic
 * engine) and re-packs it with zstd layers; everything cached by the fixture's hash.
 */
export async function prepareFixture(fixture: FilesFixture): Promise<BuiltFixture[]> {
  const [classic, containerd] = ENGINES
  buildFixtureImages(classic, fixture)
  buildFixtureImages(containerd, fixture)
  const built: BuiltFixture[] = []
  for (const variant of fixture.clean ? (['cause', 'clean'] as const) : (['cause'] as const)) {
    const tag = fixtureTag(fixture.name, variant)
    const archive = saveImage(classic, tag)
    const ociArchive = saveImage(containerd, tag)
    const registryRef = `${REGISTRY}/${tag}`
    if (!(await hasManifest(registryRef))) {
      const config = tempDockerConfig()
      try {
        pushImage(classic, config.dir, tag, registryRef)
      } finally {
        config.remove()
      }
    }
    const zstdRef = `${registryRef}-zstd`
    const zstdDir = cachePath('zstd', tag.replace(/[/:]/g, '_'))
    await writeZstd(archive, zstdDir, zstdRef)
    const [one] = countSave(archive, fixture.prefixes)
    const [two] = countSave(ociArchive, fixture.prefixes)
    built.push({
      fixture,
      variant,
      tag,
      archive,
      ociArchive,
      zstdDir,
      registryRef,
      zstdRef,
      counts: { classic: one, containerd: two },
    })
  }
  return built
}

/** The fixture's directory, for tests that read its committed files */
export function fixtureFile(name: string, path: string): string {
  return relative(ROOT, join(FIXTURES_DIR, name, path))
}
