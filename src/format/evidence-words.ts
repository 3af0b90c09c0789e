/**
 * Findings with file evidence in words: the paths or packages (untrusted, so inline code), the
 * exact bytes, the layers and their steps, and the fix in the manager's own idiom. Never the
 * content of a secret: the model has none, and nothing here could print it.
 */
import type { OsRelease, SecretKind } from '../model/files.js'
import type {
  CacheManager,
  Evidence,
  EvidencePackage,
  Finding,
  LayerShare,
  LeakKind,
  ToolKind,
} from '../model/finding.js'
import { formatBytes } from './size.js'
import { layersText, listOf } from './text.js'
import { capitalise, code, list, quote, semicolons, words, type Code, type Words } from './words.js'

/** What a renderer needs of a finding's words, but for the labels */
export interface Worded {
  title: string
  detail: Words
  fix: Words
}
export type Wording<K extends Evidence['kind']> = (
  e: Extract<Evidence, { kind: K }>,
  finding: Finding,
) => Worded

/** Paths and layers named in a finding's words; the JSON report has them all */
const SHOWN_PATHS = 5
const SHOWN_LAYERS = 3

/** Each manager's cache: what it is called (`hintLeft` where a guess must say more), its idiom */
export const CACHE_LEFT: Record<CacheManager, { left: Words; hintLeft?: Words; idiom: Code }> = {
  apt: {
    left: words`apt’s package index and downloads (${code('/var/lib/apt/lists')}, ${code('/var/cache/apt')})`,
    hintLeft: words`the apt package index (${code('/var/lib/apt/lists')})`,
    idiom: code(
      'apt-get update && apt-get install -y --no-install-recommends … && rm -rf /var/lib/apt/lists/*',
    ),
  },
  apk: {
    left: words`the apk index cache (${code('/var/cache/apk')})`,
    idiom: code('apk add --no-cache …'),
  },
  pip: {
    left: words`pip’s download cache (${code('~/.cache/pip')})`,
    hintLeft: words`pip’s download cache (${code('~/.cache/pip')}; unless an ENV line sets ${code('PIP_NO_CACHE_DIR')})`,
    idiom: code('pip install --no-cache-dir …'),
  },
  npm: {
    left: words`npm’s cache (${code('~/.npm')})`,
    idiom: code('npm ci --omit=dev && npm cache clean --force'),
  },
  yarn: {
    left: ['yarn’s cache'],
    idiom: code('yarn install --frozen-lockfile && yarn cache clean'),
  },
  pnpm: {
    left: words`pnpm’s store (${code('~/.local/share/pnpm/store')})`,
    idiom: code('pnpm install --frozen-lockfile && pnpm store prune'),
  },
  go: {
    left: words`Go’s build and module caches (${code('~/.cache/go-build')}, ${code('/go/pkg/mod/cache')})`,
    idiom: code(
      'RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go build …',
    ),
  },
  gem: {
    left: words`RubyGems’ cache (${code('~/.gem')}, ${code('/usr/local/bundle/cache')})`,
    idiom: code('bundle install && rm -rf ~/.gem /usr/local/bundle/cache'),
  },
  cargo: {
    left: words`Cargo’s registry (${code('~/.cargo/registry')})`,
    idiom: code('RUN --mount=type=cache,target=/usr/local/cargo/registry cargo build --release'),
  },
  yum: {
    left: words`the yum cache (${code('/var/cache/yum')})`,
    idiom: code('yum install -y … && yum clean all && rm -rf /var/cache/yum'),
  },
  dnf: {
    left: words`the dnf cache (${code('/var/cache/dnf')})`,
    idiom: code('dnf install -y … && dnf clean all && rm -rf /var/cache/dnf'),
  },
}

const files = (count: number) => `${count} ${count === 1 ? 'file' : 'files'}`

/** `` `/var/lib/apt/lists/x` (8.90 MB), … and 40 more `` */
function pathsText(finding: Finding, total: number): Words {
  const shown = (finding.paths ?? []).slice(0, SHOWN_PATHS)
  const items = shown.map((p) => words`${quote(p.path, 120)} (${formatBytes(p.bytes)})`)
  const rest = total - shown.length
  return rest > 0 ? words`${semicolons(items)} and ${String(rest)} more` : semicolons(items)
}

/** `layer 6 (`RUN apt-get update …`, 20.1 MB) and layer 7 (…)` */
function writtenBy(layers: LayerShare[]): Words {
  const shown = [...layers].sort((a, b) => b.bytes - a.bytes).slice(0, SHOWN_LAYERS)
  const items = shown.map(
    (l) => words`${layerStep(l.layer, l.instruction)}, ${formatBytes(l.bytes)})`,
  )
  const rest = layers.length - shown.length
  return rest > 0 ? words`${list(items)} and ${String(rest)} more layers` : list(items)
}

/** `layer 6 (`RUN …`` without the closing parenthesis, so a caller can add to it */
const layerStep = (layer: number, instruction: string): Words =>
  instruction
    ? words`${layersText([layer])} (${quote(instruction, 80)}`
    : words`${layersText([layer])} (step not known`

/** What the PR's own layers add to a cause the base image already had */
function baseNote(finding: Finding): Words {
  if (!finding.inBase) return []
  return [
    ` The base image has this too, so it does not count against this PR; this PR’s own layers wrote ${formatBytes(finding.bytes ?? 0)} of it.`,
  ]
}

const TOOL_WORDS: Record<ToolKind, string> = {
  compiler: 'compilers',
  headers: 'headers',
  'static-library': 'static libraries',
  sdk: 'SDKs',
}

function packagesText(packages: EvidencePackage[]): Words {
  return list(
    packages.map((p) =>
      p.bytes === null ? [quote(p.name)] : words`${quote(p.name)} (${formatBytes(p.bytes)})`,
    ),
    6,
  )
}

/** Each leak: what it is, what `.dockerignore` lists for it, and anything more to say */
const LEAKS: Record<LeakKind, { name: string; ignore: string[]; more?: Words }> = {
  git: { name: 'Git history', ignore: ['.git'] },
  node_modules: {
    name: 'node_modules',
    ignore: ['node_modules'],
    more: words` Install the dependencies in the image instead, for production only: ${code('npm ci --omit=dev')}.`,
  },
  tests: { name: 'tests', ignore: ['test/', 'tests/', '__tests__/'] },
  docs: { name: 'docs', ignore: ['docs/'] },
  ci: { name: 'CI files and Dockerfiles', ignore: ['.github/', '.gitlab-ci.yml', '*Dockerfile*'] },
}

const SECRET_WORDS: Record<SecretKind, string> = {
  'env-file': 'an environment file with variables',
  'private-key': 'a private key',
  'npm-token': 'an npm token',
  'pypi-password': 'a PyPI password',
  'cloud-credentials': 'cloud credentials',
  'docker-auth': 'registry credentials',
  'kube-config': 'a Kubernetes config with credentials',
  'git-credentials': 'Git credentials',
  netrc: 'a .netrc password',
}

type ToolEvidence = Extract<Evidence, { kind: 'build-tool-files' }>
type SecretEvidence = Extract<Evidence, { kind: 'secret-files' }>['secrets']

/** `Compilers (62.9 MB) and headers (30.0 kB) ship in the final image: …` */
function toolFilesText(e: ToolEvidence, f: Finding): Words {
  if (e.tools.length === 0) return ['Build tools ship in the final image.']
  const kinds = listOf(e.tools.map((t) => `${TOOL_WORDS[t.tool]} (${formatBytes(t.bytes)})`))
  return words`${capitalise([kinds])} ship in the final image: ${formatBytes(e.files.bytes)} in ${files(e.files.count)}, ${pathsText(f, e.files.count)}. Written by ${writtenBy(e.files.layers)}.`
}

function toolPackagesText(packages: EvidencePackage[]): Words {
  return packages.length > 0 ? words` The package database lists ${packagesText(packages)}.` : []
}

/** Each secret: path, kind, layer and step; a hidden one is still in its layer */
function secretsText(secrets: SecretEvidence): Words {
  const clauses = secrets.slice(0, SHOWN_PATHS).map((s) => {
    const hidden = s.visible
      ? ''
      : ', deleted by a later layer but still in that layer, which anyone who pulls the image gets'
    return words`${quote(s.path, 120)} holds ${SECRET_WORDS[s.kind]}, from ${layerStep(s.layer, s.instruction)})${hidden}`
  })
  const rest = secrets.length - clauses.length
  return [...capitalise(semicolons(clauses)), ...(rest > 0 ? [` and ${rest} more`] : [])]
}

function hiddenClause(g: Extract<Evidence, { kind: 'hidden-copies' }>['groups'][number]): Words {
  const how =
    g.deletedBytes === 0
      ? 'overwrote'
      : g.deletedBytes === g.stored.bytes
        ? 'deleted'
        : 'deleted or overwrote'
  return words`${layerStep(g.stored.layer, g.stored.instruction)}) wrote ${formatBytes(g.stored.bytes)} that ${layerStep(g.hiddenBy.layer, g.hiddenBy.instruction)}) ${how}`
}

export const EVIDENCE_WORDING: {
  [
    K in Exclude<
      Evidence['kind'],
      | 'fat-base-image'
      | 'build-tools-in-final-image'
      | 'package-cache-left'
      | 'deleted-in-later-layer'
      | 'broad-copy'
      | 'dev-dependencies'
      | 'metadata-copy-up'
      | 'reported'
    >
  ]: Wording<K>
} = {
  'cache-files': (e, f) => ({
    title: 'Package manager cache left in the image',
    detail: words`${capitalise(CACHE_LEFT[e.manager].left)} stays in the image: ${formatBytes(e.files.bytes)} in ${files(e.files.count)}, ${pathsText(f, e.files.count)}. Written by ${writtenBy(e.files.layers)}.${baseNote(f)}`,
    fix: words`Clean it in the same RUN that fills it (a later step cannot take it out of that layer): ${CACHE_LEFT[e.manager].idiom}, or keep it out of the image with a cache mount (${code('RUN --mount=type=cache,target=…')}).`,
  }),
  'build-tool-files': (e, f) => ({
    title: 'Build tools in the final image',
    detail: words`${toolFilesText(e, f)}${toolPackagesText(e.packages)} They are needed to build, not to run.${baseNote(f)}`,
    fix: words`Use a multi-stage build: install the tools and build in a first stage (${code('FROM … AS builder')}), then copy only the result into a clean final stage, e.g. ${code('COPY --from=builder /app/dist ./dist')}.`,
  }),
  'context-files': (e, f) => ({
    title: 'Build context files copied into the image',
    detail: words`${capitalise([
      listOf(
        e.leaks.map((l) => `${LEAKS[l.leak].name} (${formatBytes(l.bytes)})`),
        5,
      ),
    ])} came in with the build context: ${formatBytes(e.files.bytes)} in ${files(e.files.count)}, ${pathsText(f, e.files.count)}. Copied by ${writtenBy(e.files.layers)}.${baseNote(f)}`,
    fix: words`Add ${list(
      e.leaks.flatMap((l) => LEAKS[l.leak].ignore.map((i) => [code(i)])),
      12,
    )} to ${code('.dockerignore')} and copy only what the app needs at run time, e.g. ${code('COPY --from=builder /app/dist ./dist')} instead of ${code('COPY . .')}.${e.leaks.flatMap((l) => LEAKS[l.leak].more ?? [])}`,
  }),
  'secret-files': (e, f) => ({
    title: 'Secret-like files in the image',
    detail: words`${secretsText(e.secrets)}. The content is not shown here.${f.inBase ? ' The base image has them too.' : ''}`,
    fix: words`Keep secrets out of the build context (${code('.dockerignore')}: ${code('.env')}, ${code('*.pem')}, ${code('.npmrc')}) and out of every layer: pass them to the build with ${code('RUN --mount=type=secret,id=npmrc,target=/root/.npmrc …')} and to the container at run time. A secret that was in a pushed layer has leaked: rotate it.`,
  }),
  'hidden-copies': (e, f) => ({
    title: 'Files deleted or overwritten in a later layer still ship',
    detail: words`${formatBytes(e.bytes)} in ${String(e.count)} ${e.count === 1 ? 'copy' : 'copies'} the image stores but no container sees: ${semicolons(e.groups.slice(0, SHOWN_LAYERS).map(hiddenClause))}${e.groups.length > SHOWN_LAYERS ? `; and ${e.groups.length - SHOWN_LAYERS} more` : ''}. Largest: ${pathsText(f, e.count)}.${f.inBase ? ' The base image stores these too, so they do not count against this PR.' : ''}`,
    fix: words`Do it in one layer: create, use and delete files in the same RUN (e.g. ${code('RUN … && rm -rf /tmp/build')}), or build in a separate stage and copy only the result.${e.groups.some((g) => g.copyUp) ? words` Set permissions and owners as the files arrive instead of in a later RUN: ${code('COPY --chown=app:app --chmod=755 src dest')}.` : []}`,
  }),
  'dev-packages': (e, f) => {
    const npm = e.packages.some((p) => p.manager === 'npm')
    const python = e.packages.some((p) => p.manager === 'python')
    const idioms: Words[] = [
      ...(npm ? [words`${code('npm ci --omit=dev')} (or ${code('NODE_ENV=production')})`] : []),
      ...(python
        ? [
            words`${code('pip install --no-cache-dir -r requirements.txt')} with the runtime requirements only, test tools in a test stage`,
          ]
        : []),
    ]
    return {
      title: 'Development dependencies installed',
      detail: words`${e.packages.length === 1 ? '1 package' : `${e.packages.length} packages`} only development or tests need ${e.packages.length === 1 ? 'ships' : 'ship'} in the image (${formatBytes(e.bytes)}): ${packagesText(e.packages)}.${baseNote(f)}`,
      fix: words`Install production dependencies only: ${semicolons(idioms)}.`,
    }
  },
}

/** The minimal variant of the base image's distribution, in words; [] when the OS says nothing. */
export function variantAdvice(os: OsRelease | undefined): Words {
  if (!os) return []
  const name = quote(os.prettyName ?? os.id)
  if (os.id === 'debian' || os.id === 'ubuntu')
    return words` The PR image is ${name}: use the ${code('-slim')} variant of its base (e.g. ${code('python:3.12-slim')}) or a distroless image (${code('gcr.io/distroless/base-debian12')}).`
  if (os.id === 'alpine')
    return words` The PR image is ${name}, already a small base: the growth is in what the base image itself installs; check its tag, or use a distroless or ${code('scratch')} image for a static binary.`
  if (/^(?:rhel|centos|rocky|almalinux|fedora|ol|amzn)$/.test(os.id))
    return words` The PR image is ${name}: use a minimal variant (${code('ubi-minimal')}, ${code('-minimal')}).`
  return []
}
