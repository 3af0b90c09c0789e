import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  buildFixtures,
  dockerCli,
  ENGINES,
  historyTotal,
  REGISTRY,
  ROOT,
} from '../support/engines.js'
import type { FakeGitHub } from '../support/fake-github.js'
import { labelPull, seedPull } from '../support/fake-github-pulls.js'
import {
  getBlob,
  getManifest,
  pushImage,
  putManifest,
  tempDockerConfig,
  uploadBlob,
  type RawDescriptor,
  type RawManifest,
} from '../support/registry-tools.js'
import {
  ensureBundle,
  pullRequestEvent,
  REPOSITORY,
  runAction,
  useFakeGitHub,
  workflowCommands,
  type ActionResult,
} from '../support/run-action.js'
import { expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * The images input (issue 10) through `node dist/index.js`: several images in one step on the
 * classic engine and the loopback registry (one image with two platforms, an image index
 * assembled through the registry's API), one comment with the overview, the outputs per image,
 * one report file per image that mode aggregate reads, an image that cannot be measured, and
 * images built from their own contexts.
 */

const classic = ENGINES[0]
const BASE = 'isg-fixture/app:base'
const HEAD = 'isg-fixture/app:pr'
const MARKER = '<!-- image-size-gate:comment-key=images -->'
const [OWNER, REPO] = REPOSITORY.split('/')
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json'
const repository = `isg-multi/app-${process.pid}`

let fake: FakeGitHub
let scratch: string
let baseBytes: number
let headBytes: number

/** Pushes `source` and puts an index of it (amd64) and an arm64 twin (same layers) at `tag`. */
async function pushTwoPlatforms(source: string, tag: string): Promise<string> {
  const config = tempDockerConfig()
  pushImage(classic, config.dir, source, `${REGISTRY}/${repository}:${tag}-amd64`)
  config.remove()
  const raw = await getManifest<RawManifest>(REGISTRY, repository, `${tag}-amd64`)
  const amd64: RawDescriptor = {
    mediaType: raw.contentType,
    digest: raw.digest,
    size: raw.body.length,
  }
  const imageConfig = JSON.parse(
    (await getBlob(REGISTRY, repository, raw.json.config.digest)).toString(),
  ) as Record<string, unknown>
  const armConfig = await uploadBlob(
    REGISTRY,
    repository,
    Buffer.from(JSON.stringify({ ...imageConfig, architecture: 'arm64', variant: 'v8' })),
    OCI_CONFIG,
  )
  const arm64 = await putManifest(REGISTRY, repository, undefined, OCI_MANIFEST, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: armConfig,
    layers: raw.json.layers.map((l) => ({
      ...l,
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    })),
  })
  await putManifest(REGISTRY, repository, tag, OCI_INDEX, {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      { ...amd64, platform: { os: 'linux', architecture: 'amd64' } },
      { ...arm64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    ],
  })
  return `docker://${REGISTRY}/${repository}:${tag}`
}

let multiBase: string
let multiHead: string

beforeAll(async () => {
  await ensureBundle()
  buildFixtures(classic)
  baseBytes = historyTotal(classic, BASE)
  headBytes = historyTotal(classic, HEAD)
  multiBase = await pushTwoPlatforms(BASE, 'base')
  multiHead = await pushTwoPlatforms(HEAD, 'pr')
  scratch = mkdtempSync(join(tmpdir(), 'isg-several-'))
}, 180_000)

afterAll(() => rmSync(scratch, { recursive: true, force: true }))

useFakeGitHub((f) => (fake = f))

const comments = (number: number) =>
  fake.state.comments.filter(
    (c) => c.owner === OWNER && c.repo === REPO && c.issueNumber === number,
  )

interface ImageFigures {
  verdict: string
  headBytes: number | null
  baseBytes: number | null
  deltaBytes: number | null
  error?: string
}

const imagesOf = (run: ActionResult) =>
  JSON.parse(run.outputs.images) as Record<string, ImageFigures>

function runImages(images: string, number: number, inputs: Record<string, string> = {}) {
  return runAction({
    inputs: { images, ...inputs },
    event: pullRequestEvent(number),
    api: fake.url,
    timeoutMs: 240_000,
  })
}

describe('images: several images in one step', () => {
  test('1. three images (one with two platforms): one comment, a row each, outputs per image, fails on its own budget', async () => {
    const images = `
- name: web
  head-image: docker-daemon:${HEAD}
  base-image: docker-daemon:${BASE}
- name: api
  head-image: docker-daemon:${HEAD}
  base-image: docker-daemon:${BASE}
  max-size: 1MB
- name: multi
  head-image: ${multiHead}
  base-image: ${multiBase}
  platforms: [linux/amd64, linux/arm64/v8]
  size-basis: compressed
`
    const run = await runImages(images, 501, { 'max-increase': '50MB' })
    expectExit(run, 1)
    expectNoStackTrace(run)
    const posted = comments(501)
    expect(posted).toHaveLength(1)
    const body = posted[0].body
    expect(body.startsWith(MARKER)).toBe(true)
    expect(body).toMatch(/^### ❌ Image size budget exceeded: 3 images$/m)
    expect(body).toMatch(
      /\| Result +\| Image +\| Platform +\| +Base \| +PR \| +Change \| Pull size \|/,
    )
    expect(body).toMatch(/\| ✅ pass +\| `web` +\| — /)
    expect(body).toMatch(/\| ❌ fail +\| `api` +\| — /)
    expect(body).toMatch(/\| ✅ pass +\| `multi` +\| linux\/amd64 /)
    expect(body).toMatch(/\| ✅ pass +\| `multi` +\| linux\/arm64\/v8 /)
    for (const summary of ['✅ pass web', '❌ fail api', '✅ pass multi'])
      expect(body).toContain(`<details><summary>${summary}</summary>`)
    // Verdict first: the overview precedes every section.
    expect(body.indexOf('| Result')).toBeLessThan(body.indexOf('<details>'))
    expect(run.summary).toContain('<details><summary>❌ fail api</summary>')
    expect(run.summary).toMatch(/\| ❌ fail +\| `api` /)

    expect(run.outputs.verdict).toBe('fail')
    const out = imagesOf(run)
    expect(Object.keys(out).sort()).toEqual([
      'api',
      'multi linux/amd64',
      'multi linux/arm64/v8',
      'web',
    ])
    expect(out.web).toMatchObject({ verdict: 'pass', headBytes, baseBytes })
    expect(out.api).toMatchObject({ verdict: 'fail', headBytes })
    expect(out['multi linux/amd64'].verdict).toBe('pass')
    // Compressed: the registry's blob sizes, smaller than the layers' content.
    expect(out['multi linux/amd64'].headBytes).toBeGreaterThan(0)
    expect(out['multi linux/amd64'].headBytes).toBeLessThan(headBytes)
    expect(workflowCommands(run.stdout, 'error').join('\n')).toContain(
      '3 images: fail; over budget: api',
    )

    // One report per image, which mode aggregate reads back under the images' names.
    const paths = run.outputs['report-path'].split('\n')
    expect(paths.map((p) => p.split('/').pop())).toEqual([
      'report-web.json',
      'report-api.json',
      'report-multi.json',
    ])
    for (const path of paths) expect(existsSync(path)).toBe(true)
    const folder = join(scratch, 'reports')
    mkdirSync(folder, { recursive: true })
    for (const path of paths)
      writeFileSync(join(folder, path.split('/').pop()!), readFileSync(path))
    const aggregate = await runAction({
      inputs: { mode: 'aggregate', reports: folder, comment: 'false' },
    })
    expectExit(aggregate, 1)
    expect(imagesOf(aggregate)).toEqual(out)

    // A second run edits the same comment.
    const again = await runImages(images, 501, { 'max-increase': '50MB' })
    expectExit(again, 1)
    expect(comments(501)).toHaveLength(1)
    expect(comments(501)[0].updatedAt >= posted[0].updatedAt).toBe(true)
  })

  test('2. an image that cannot be read: its row says so and fails; the others are measured and published', async () => {
    const images = `
- name: web
  head-image: docker-daemon:${HEAD}
  base-image: docker-daemon:${BASE}
- name: gone
  head-image: docker-daemon:isg-fixture/app:gone-${process.pid}
- name: after
  head-image: docker-daemon:${HEAD}
`
    const run = await runImages(images, 502)
    expectExit(run, 1)
    expectNoStackTrace(run)
    const body = comments(502)[0]?.body ?? ''
    expect(comments(502)).toHaveLength(1)
    expect(body).toMatch(/\| ✅ pass +\| `web` /)
    expect(body).toMatch(/\| ❌ fail +\| `gone` +\| — +\| +— \| +— \| +not measured \|/)
    expect(body).toMatch(/\| ✅ pass +\| `after` /)
    expect(body).toMatch(/<summary>❌ fail gone<\/summary>\n\nNot measured: The PR image/)
    const out = imagesOf(run)
    expect(out.gone).toMatchObject({ verdict: 'fail', headBytes: null })
    expect(out.gone.error).toMatch(/gone-\d+/)
    expect(out.web).toMatchObject({ verdict: 'pass', headBytes })
    expect(out.after).toMatchObject({ verdict: 'pass', headBytes, baseBytes: null })
    const errors = workflowCommands(run.stdout, 'error').join('\n')
    expect(errors).toMatch(
      /^gone: The PR image isg-fixture\/app:gone-\d+ is not in the Docker engine/m,
    )
    expect(errors).toContain('3 images: fail; not measured: gone')
    // Reports for the two measured images only.
    expect(run.outputs['report-path'].split('\n')).toHaveLength(2)
  })

  test('3. bad items: every problem in one go, exit 1, nothing measured, no comment', async () => {
    const run = await runImages(
      '- name: a\n  head-image: x:1\n  max-size: 1XB\n- name: a\n  head-image: y:1\n  colour: red\n',
      503,
    )
    expectExit(run, 1)
    expectNoStackTrace(run)
    const errors = workflowCommands(run.stdout, 'error').join('\n')
    expect(errors).toContain('Input "images[0] (a).max-size" has the value "1XB"')
    expect(errors).toContain('Input "images[1] (a).name" has the value "a"')
    expect(errors).toContain('Input "images[1] (a).colour" has the value "red"')
    expect(comments(503)).toHaveLength(0)
  })

  test('4. images built from their own contexts: distinct tags, removed afterwards, each annotated; a failed build is its row', async () => {
    const workspace = join(scratch, 'repo')
    for (const [dir, bytes] of [
      ['web', 200_000],
      ['worker', 1_500_000],
    ] as const) {
      mkdirSync(join(workspace, dir), { recursive: true })
      writeFileSync(
        join(workspace, dir, 'Dockerfile'),
        `FROM isg-fixture/busybox:1\nRUN head -c ${bytes} /dev/urandom > /${dir}.bin\n`,
      )
    }
    mkdirSync(join(workspace, 'broken'), { recursive: true })
    writeFileSync(
      join(workspace, 'broken', 'Dockerfile'),
      'FROM isg-fixture/busybox:1\nRUN echo no-such-package && exit 3\n',
    )
    const runId = `isg-several-${process.pid}`
    const run = await runAction({
      inputs: {
        images: `
- {name: web, context: web, base-image: "docker-daemon:isg-fixture/busybox:1"}
- {name: broken, context: broken, base-image: "docker-daemon:isg-fixture/busybox:1"}
- {name: worker, context: worker, base-image: "docker-daemon:isg-fixture/busybox:1"}
`,
        'build-network': 'host',
        'max-increase': '1MB',
      },
      event: pullRequestEvent(504),
      api: fake.url,
      env: { GITHUB_WORKSPACE: workspace, GITHUB_RUN_ID: runId },
      timeoutMs: 300_000,
    })
    expectExit(run, 1)
    expectNoStackTrace(run)
    const out = imagesOf(run)
    expect(out.web.verdict).toBe('pass')
    expect(out.web.deltaBytes).toBeGreaterThanOrEqual(200_000)
    expect(out.web.deltaBytes).toBeLessThan(1_000_000)
    expect(out.worker.verdict).toBe('fail')
    expect(out.worker.deltaBytes).toBeGreaterThanOrEqual(1_500_000)
    // The broken build: its row, and the image after it still measured.
    expect(out.broken).toMatchObject({ verdict: 'fail', headBytes: null })
    expect(out.broken.error).toMatch(/^Building the pull request's image failed: /)
    expect(comments(504)[0].body).toMatch(/\| ❌ fail +\| `broken` +\| — .*not measured/)
    expect(comments(504)[0].body).toMatch(
      /Build log, last lines:\n\n```+text\n[\s\S]*no-such-package/,
    )
    expect(workflowCommands(run.stdout, 'error').join('\n')).toContain(
      '3 images: fail; over budget: worker; not measured: broken',
    )
    const tags = dockerCli(classic, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'])
      .split('\n')
      .filter((t) => t.includes(runId))
    expect(tags).toEqual([])
    expect(run.stdout).not.toMatch(/Could not remove the image/)
    // Each image's own Dockerfile, on the RUN line that grew it.
    expect(run.stdout).toMatch(/^::warning [^:]*file=web\/Dockerfile,line=2/m)
    expect(run.stdout).toMatch(/^::warning [^:]*file=worker\/Dockerfile,line=2/m)
    expect(comments(504)).toHaveLength(1)
  })

  test("5. a label accepts every image's failed budget, the PR read once; the step passes with warn", async () => {
    const pr = seedPull(fake.state, {
      owner: OWNER,
      repo: REPO,
      number: 505,
      body: null,
      author: 'contributor',
    })
    labelPull(pr, 'image-size-accepted', 'maintainer', '2026-12-02T11:00:00Z')
    const archive = (name: string) => `docker-archive:${join(ROOT, 'examples', name)}`
    const run = await runImages(
      [
        `- {name: web, head-image: "${archive('pr.tar')}", base-image: "${archive('base.tar')}"}`,
        `- {name: api, head-image: "${archive('pr.tar')}", base-image: "${archive('base.tar')}", max-increase: 1%}`,
        `- {name: fine, head-image: "${archive('pr.tar')}", base-image: "${archive('base.tar')}", max-increase: off}`,
      ].join('\n'),
      505,
      { 'max-increase': '500kB' },
    )
    expectExit(run, 0)
    expectNoStackTrace(run)
    const out = imagesOf(run)
    expect([out.web.verdict, out.api.verdict, out.fine.verdict]).toEqual(['warn', 'warn', 'pass'])
    expect(run.outputs.verdict).toBe('warn')
    const body = comments(505)[0]?.body ?? ''
    // Each image whose budget failed says who accepted it; the one within budget does not.
    expect(body.match(/\*\*Increase accepted\*\* by @&#8203;maintainer/g)).toHaveLength(2)
    const pulls = fake.state.requests.filter(
      (r) => r.method === 'GET' && r.path.endsWith('/pulls/505'),
    )
    expect(pulls).toHaveLength(1)
    // The reports were written again with the acceptance.
    const report = JSON.parse(readFileSync(run.outputs['report-path'].split('\n')[0], 'utf8')) as {
      verdict: string
    }
    expect(report.verdict).toBe('warn')
  })
})
