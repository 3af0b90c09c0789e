/**
 * Build toolchains in the final image, found by their files (compilers, headers, static
 * libraries, SDKs) and by the packages the package databases list.
 */
import type { ImageFiles, PackageRecord } from '../model/files.js'
import type { EvidencePackage, ToolKind } from '../model/finding.js'
import { fileScope, largestFirst, pathFinding, type FileScope } from './evidence.js'
import type { ExplainRule, Finding } from './types.js'

/** `gcc`, `g++-12`, `x86_64-linux-gnu-gcc-12`, `clang++` in a `bin` directory */
const COMPILER_BINARY =
  /^\/(?:usr\/(?:local\/)?)?bin\/(?:[\w.-]+-)?(?:gcc|g\+\+|clang|clang\+\+)(?:-\d+(?:\.\d+)*)?$/
const COMPILER_DIR = /^\/usr\/(?:lib\/gcc|libexec\/gcc)\/|\/cc1(?:plus|obj)?$/
const HEADERS = /^\/usr\/include\//
const STATIC_LIBRARY = /\.a$/
/** A Go SDK; JDKs are found by their `bin/javac` */
const GO_SDK = /^\/usr\/local\/go\//
const JDK_HOME = /^(\/usr\/lib\/jvm\/[^/]+|\/opt\/java\/[^/]+)\/bin\/javac$/

/** Build tool packages: dpkg's and apk's names */
const TOOL_PACKAGES =
  /^(?:build-essential|build-base|make|musl-dev|(?:gcc|g\+\+|cpp|clang)(?:-\d+(?:\.\d+)*)?|.+-dev)$/

/** A path's tool kind, given the JDK homes of the image; undefined when it is none. */
function toolOf(path: string, jdks: string[]): ToolKind | undefined {
  if (COMPILER_BINARY.test(path) || COMPILER_DIR.test(path)) return 'compiler'
  if (GO_SDK.test(path) || jdks.some((home) => path.startsWith(`${home}/`))) return 'sdk'
  if (HEADERS.test(path)) return 'headers'
  if (STATIC_LIBRARY.test(path)) return 'static-library'
  return undefined
}

function toolPaths(image: ImageFiles) {
  const jdks = [...image.view.keys()].flatMap((path) => JDK_HOME.exec(path)?.[1] ?? [])
  const found: Array<{ path: string; bytes: number; layer: number; tool: ToolKind }> = []
  for (const file of image.view.values()) {
    const tool = toolOf(file.path, jdks)
    if (tool) found.push({ path: file.path, bytes: file.bytes, layer: file.layer, tool })
  }
  return found
}

const isToolPackage = (p: PackageRecord) =>
  (p.manager === 'dpkg' || p.manager === 'apk') && TOOL_PACKAGES.test(p.name)

/** Evidence of a build toolchain worth a finding: 100 kB of files, or a tool package. */
const MIN_TOOL_BYTES = 100_000

function toolFinding(scope: FileScope): Finding[] {
  const paths = toolPaths(scope.head)
  const packages = scope.head.packages.filter(isToolPackage)
  const bytes = paths.reduce((total, p) => total + p.bytes, 0)
  if (packages.length === 0 && bytes < MIN_TOOL_BYTES) return []
  const base = scope.base
  const inBase =
    base !== undefined && (base.packages.some(isToolPackage) || toolPaths(base).length > 0)
  const tools = new Map<ToolKind, { tool: ToolKind; bytes: number; count: number }>()
  for (const p of paths) {
    const t = tools.get(p.tool) ?? { tool: p.tool, bytes: 0, count: 0 }
    t.bytes += p.bytes
    t.count++
    tools.set(p.tool, t)
  }
  const named: EvidencePackage[] = largestFirst(
    packages.map((p) => ({ ...p, bytes: p.bytes ?? 0, original: p.bytes })),
  ).map((p) => ({
    manager: p.manager,
    name: p.name,
    version: p.version,
    bytes: p.original,
    layer: p.layer,
  }))
  const found = pathFinding(scope, 'build-tools-in-final-image', paths, inBase, (files) => ({
    kind: 'build-tool-files',
    tools: [...tools.values()].sort((a, b) => b.bytes - a.bytes),
    packages: named,
    files,
  }))
  if (found.length > 0 || named.length === 0) return found
  // Packages only (their files are not among the paths above, e.g. `make`)
  const newPackages = named.filter(
    (p) => !base?.packages.some((b) => b.manager === p.manager && b.name === p.name),
  )
  return [
    {
      key: 'build-tools-in-final-image',
      layers: [...new Set(named.map((p) => p.layer))].sort((a, b) => a - b),
      bytes: newPackages.reduce((total, p) => total + (p.bytes ?? 0), 0),
      evidence: {
        kind: 'build-tool-files',
        tools: [],
        packages: named,
        files: { count: 0, bytes: 0, layers: [] },
      },
      ...(inBase ? { inBase } : {}),
    },
  ]
}

/** The PR image keeps compilers, headers, static libraries or an SDK. */
export const toolFiles: ExplainRule = {
  key: 'build-tools-in-final-image',
  basis: 'files',
  explain(context) {
    const scope = fileScope(context)
    return scope ? toolFinding(scope) : []
  },
}
