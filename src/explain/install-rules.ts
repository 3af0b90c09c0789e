import { deletes, hasEnv, isInstall, keptPackages, runs } from './packages.js'
import { hasOption, packageCommands, type Command, type Manager } from './shell.js'
import type { ExplainRule, Finding, Step } from './types.js'
import type { CacheManager } from '../model/finding.js'
import { grownRuns, layerFinding, positionsOf, totalGrowth } from './text.js'

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
  basis: 'steps',
  explain({ steps }) {
    const hits = grownRuns(steps).flatMap((step) => {
      const tools = buildToolsOf(step)
      return tools.length ? [{ step, seen: tools }] : []
    })
    return layerFinding('build-tools-in-final-image', hits, (h) => ({
      kind: 'build-tools-in-final-image',
      hits: h,
    }))
  },
}

interface CacheCheck {
  /** Whose cache is left behind */
  manager: CacheManager
  /** The RUN writes the cache and does not clean it up */
  leaves(commands: Command[]): boolean
}

const installs = (commands: Command[], manager: Manager) =>
  packageCommands(commands).some((p) => p.manager === manager && isInstall(p))

const CACHE_CHECKS: CacheCheck[] = [
  {
    manager: 'apt',
    // `apt-get update` writes the lists; an install alone writes only .deb files, which the
    // Debian and Ubuntu images' /etc/apt/apt.conf.d/docker-clean hook already deletes
    leaves: (c) => runs(c, 'apt', 'update') && !deletes(c, /^\/var\/lib\/apt\/lists(?:\/|$)/),
  },
  {
    manager: 'apk',
    leaves: (c) =>
      packageCommands(c).some(
        (p) =>
          p.manager === 'apk' &&
          isInstall(p) &&
          (p.action === 'update' || !hasOption(p, '--no-cache')),
      ) &&
      !deletes(c, /^\/var\/cache\/apk(?:\/|$)/) &&
      !runs(c, 'apk', 'cache'),
  },
  {
    manager: 'pip',
    leaves: (c) =>
      packageCommands(c).some(
        (p) => p.manager === 'pip' && p.action === 'install' && !hasOption(p, '--no-cache-dir'),
      ) &&
      !hasEnv(c, 'PIP_NO_CACHE_DIR') &&
      !deletes(c, /\.cache(?:\/pip)?\/?\*?$/) &&
      !runs(c, 'pip', 'cache'),
  },
  {
    manager: 'npm',
    leaves: (c) =>
      installs(c, 'npm') &&
      !runs(c, 'npm', 'cache', 'clean') &&
      !deletes(c, /(?:^|\/)\.npm(?:\/|$)/),
  },
  {
    manager: 'yarn',
    leaves: (c) =>
      installs(c, 'yarn') &&
      !runs(c, 'yarn', 'cache', 'clean') &&
      !deletes(c, /\.cache\/yarn|\/\.yarn\/cache/),
  },
  ...(['yum', 'dnf'] as const).map((m): CacheCheck => ({
    manager: m,
    leaves: (c) =>
      installs(c, m) && !runs(c, m, 'clean') && !deletes(c, new RegExp(`^/var/cache/${m}(?:/|$)`)),
  })),
]

/** An added or grown RUN installs with a package manager and leaves its cache in the layer. */
export const packageCache: ExplainRule = {
  key: 'package-cache-left',
  basis: 'steps',
  explain({ steps }): Finding[] {
    const found = CACHE_CHECKS.map((check) => ({
      check,
      steps: grownRuns(steps).filter((step) => check.leaves(step.commands)),
    })).filter((f) => f.steps.length > 0)
    if (found.length === 0) return []
    const all = found.flatMap((f) => f.steps)
    return [
      {
        key: 'package-cache-left',
        layers: positionsOf(all),
        bytes: totalGrowth(all),
        evidence: {
          kind: 'package-cache-left',
          caches: found.map((f) => ({ manager: f.check.manager, layers: positionsOf(f.steps) })),
        },
      },
    ]
  },
}
