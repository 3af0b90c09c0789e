import { deletes, hasEnv, isInstall, keptPackages, runs } from './packages.js'
import { hasOption, packageCommands, type Command, type Manager } from './shell.js'
import type { ExplainRule, Finding, Step } from './types.js'
import { capitalise, layersText, listOf } from '../format/text.js'
import { grownRuns, layerFinding, positionsOf, quote, totalGrowth } from './text.js'

const TOOLS = new Set(
  (
    'build-essential build-base gcc g++ gcc-c++ clang llvm make cmake automake autoconf libtool ' +
    'pkg-config pkgconf ninja-build golang golang-go go rust rustc cargo git node-gyp gfortran'
  ).split(' '),
)
const VERSIONED_TOOL = /^(?:gcc|g\+\+|clang|llvm|golang)-[0-9.]+$/
const DEV_PACKAGE = /.-dev(?:el)?$/
/** Words that fetch or unpack a toolchain: `/opt/toolchain`, rustup, a Go release tarball */
const TOOLCHAIN_WORD =
  /(?:^|[^A-Za-z0-9])toolchains?(?:$|[^A-Za-z0-9])|^rustup(?:-init)?$|sh\.rustup\.rs|go\.dev\/dl\/|golang\.org\/dl\//

const isTool = (name: string) =>
  TOOLS.has(name) ||
  VERSIONED_TOOL.test(name) ||
  DEV_PACKAGE.test(name) ||
  /^development tools$/i.test(name)

function buildToolsOf(step: Step): string[] {
  const packages = keptPackages(step.commands).filter(isTool)
  const words = [...new Set(step.commands.flatMap((c) => c.words))].filter((w) =>
    TOOLCHAIN_WORD.test(w),
  )
  // `/opt/toolchain` says it; `/opt/toolchain/bin/cc` adds nothing
  const paths = words.filter((w) => !words.some((other) => w.startsWith(`${other}/`)))
  return [...new Set([...packages, ...paths])]
}

/** An added or grown RUN installs compilers, `-dev` packages, git or a toolchain, and keeps them. */
export const buildTools: ExplainRule = {
  key: 'build-tools-in-final-image',
  explain({ steps }) {
    const hits = grownRuns(steps).flatMap((step) => {
      const tools = buildToolsOf(step)
      return tools.length
        ? [{ step, clause: `brings in ${listOf(tools.map((t) => quote(t)))}` }]
        : []
    })
    return layerFinding(
      {
        key: 'build-tools-in-final-image',
        title: 'Build tools in the final image',
        fix:
          'Use a multi-stage build: install the tools and build in a first stage ' +
          '(`FROM … AS builder`), then copy only the result into a clean final stage, e.g. ' +
          '`COPY --from=builder /app/dist ./dist`.',
      },
      hits,
      'Compilers, headers or toolchains ship in the final image. ',
      ' They are needed to build, not to run.',
    )
  },
}

interface CacheCheck {
  /** What is left behind, for people */
  left: string
  /** The RUN writes the cache and does not clean it up */
  leaves(commands: Command[]): boolean
  /** The same-RUN idiom */
  idiom: string
}

const installs = (commands: Command[], manager: Manager) =>
  packageCommands(commands).some((p) => p.manager === manager && isInstall(p))

const CACHE_CHECKS: CacheCheck[] = [
  {
    left: 'the apt package index (`/var/lib/apt/lists`)',
    // `apt-get update` writes the lists; an install alone writes only .deb files, which the
    // Debian and Ubuntu images' /etc/apt/apt.conf.d/docker-clean hook already deletes
    leaves: (c) => runs(c, 'apt', 'update') && !deletes(c, /^\/var\/lib\/apt\/lists(?:\/|$)/),
    idiom:
      '`apt-get update && apt-get install -y --no-install-recommends … && rm -rf /var/lib/apt/lists/*`',
  },
  {
    left: 'the apk index cache (`/var/cache/apk`)',
    leaves: (c) =>
      packageCommands(c).some(
        (p) =>
          p.manager === 'apk' &&
          isInstall(p) &&
          (p.action === 'update' || !hasOption(p, '--no-cache')),
      ) &&
      !deletes(c, /^\/var\/cache\/apk(?:\/|$)/) &&
      !runs(c, 'apk', 'cache'),
    idiom: '`apk add --no-cache …`',
  },
  {
    left: 'pip’s download cache (`~/.cache/pip`; unless an ENV line sets `PIP_NO_CACHE_DIR`)',
    leaves: (c) =>
      packageCommands(c).some(
        (p) => p.manager === 'pip' && p.action === 'install' && !hasOption(p, '--no-cache-dir'),
      ) &&
      !hasEnv(c, 'PIP_NO_CACHE_DIR') &&
      !deletes(c, /\.cache(?:\/pip)?\/?\*?$/) &&
      !runs(c, 'pip', 'cache'),
    idiom: '`pip install --no-cache-dir …`',
  },
  {
    left: 'npm’s cache (`~/.npm`)',
    leaves: (c) =>
      installs(c, 'npm') &&
      !runs(c, 'npm', 'cache', 'clean') &&
      !deletes(c, /(?:^|\/)\.npm(?:\/|$)/),
    idiom: '`npm ci --omit=dev && npm cache clean --force`',
  },
  {
    left: 'yarn’s cache',
    leaves: (c) =>
      installs(c, 'yarn') &&
      !runs(c, 'yarn', 'cache', 'clean') &&
      !deletes(c, /\.cache\/yarn|\/\.yarn\/cache/),
    idiom: '`yarn install --frozen-lockfile && yarn cache clean`',
  },
  ...(['yum', 'dnf'] as const).map((m): CacheCheck => ({
    left: `the ${m} cache (\`/var/cache/${m}\`)`,
    leaves: (c) =>
      installs(c, m) && !runs(c, m, 'clean') && !deletes(c, new RegExp(`^/var/cache/${m}(?:/|$)`)),
    idiom: `\`${m} install -y … && ${m} clean all && rm -rf /var/cache/${m}\``,
  })),
]

/** An added or grown RUN installs with a package manager and leaves its cache in the layer. */
export const packageCache: ExplainRule = {
  key: 'package-cache-left',
  explain({ steps }): Finding[] {
    const found = CACHE_CHECKS.map((check) => ({
      check,
      steps: grownRuns(steps).filter((step) => check.leaves(step.commands)),
    })).filter((f) => f.steps.length > 0)
    if (found.length === 0) return []
    const all = found.flatMap((f) => f.steps)
    const clauses = found.map((f) => `${f.check.left} stays in ${layersText(positionsOf(f.steps))}`)
    return [
      {
        key: 'package-cache-left',
        title: 'Package manager cache left in the layer',
        layers: positionsOf(all),
        bytes: totalGrowth(all),
        detail: `${capitalise(clauses.join('; '))}. A later step cannot take it out of that layer again.`,
        fix:
          'Clean up in the same RUN that installs, so the cache never lands in a layer: ' +
          `${found.map((f) => f.check.idiom).join('; ')}.`,
      },
    ]
  },
}
