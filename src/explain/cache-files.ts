/**
 * Package managers' caches and indexes still in the image, found by their files: one finding
 * per manager, with the exact bytes and the layers that wrote them.
 */
import type { ImageFiles } from '../model/files.js'
import type { CacheManager, EvidencePath } from '../model/finding.js'
import { fileScope, pathFinding, type FileScope } from './evidence.js'
import type { ExplainRule, Finding } from './types.js'

/** Where each manager keeps what it downloaded; visible files only (homes: any `.cache`) */
export const CACHE_PATHS: Array<[CacheManager, RegExp]> = [
  // The lists, not apt's `lock` or the `partial`/`auxfiles` directories; the .deb archives and
  // the binary caches (`pkgcache.bin`), which Debian's docker-clean hook deletes
  [
    'apt',
    /^\/var\/lib\/apt\/lists\/(?!lock$)[^/]+$|^\/var\/cache\/apt\/(?:archives\/[^/]+\.deb|[^/]+\.bin)$/,
  ],
  ['apk', /^\/(?:var\/cache\/apk|etc\/apk\/cache)\/[^/]+$/],
  ['pip', /(?:^|\/)\.cache\/pip\//],
  ['npm', /(?:^|\/)\.npm\/_cacache\//],
  ['yarn', /^\/usr\/local\/share\/\.cache\/yarn\/|(?:^|\/)\.cache\/yarn\//],
  ['pnpm', /(?:^|\/)(?:\.local\/share\/pnpm\/store|\.pnpm-store|\.cache\/pnpm)\/|^\/pnpm\/store\//],
  ['go', /(?:^|\/)\.cache\/go-build\/|(?:^|\/)go\/pkg\/mod\/cache\//],
  [
    'gem',
    /(?:^|\/)\.gem\/(?:specs|ruby\/[^/]+\/cache)\/|^\/usr\/local\/bundle\/cache\/|\/gems\/[^/]+\/cache\/[^/]+\.gem$/,
  ],
  ['cargo', /(?:^|\/)\.cargo\/(?:registry|git)\/|^\/usr\/local\/cargo\/(?:registry|git)\//],
  ['yum', /^\/var\/cache\/yum\//],
  ['dnf', /^\/var\/cache\/dnf\//],
]

/** Any manager's cache: one test per path before asking which manager */
const ANY_CACHE = new RegExp(CACHE_PATHS.map(([, pattern]) => `(?:${pattern.source})`).join('|'))

/** The cache files of an image by manager, in one pass over its view. */
function cachePaths(image: ImageFiles): Map<CacheManager, EvidencePath[]> {
  const found = new Map<CacheManager, EvidencePath[]>()
  for (const file of image.view.values()) {
    if (!ANY_CACHE.test(file.path)) continue
    const manager = CACHE_PATHS.find(([, pattern]) => pattern.test(file.path))?.[0]
    if (!manager) continue
    const paths = found.get(manager) ?? []
    paths.push({ path: file.path, bytes: file.bytes, layer: file.layer })
    found.set(manager, paths)
  }
  return found
}

function cacheFindings(scope: FileScope): Finding[] {
  const head = cachePaths(scope.head)
  const base = scope.base ? cachePaths(scope.base) : new Map<CacheManager, EvidencePath[]>()
  return CACHE_PATHS.flatMap(([manager]) =>
    pathFinding(
      scope,
      'package-cache-left',
      head.get(manager) ?? [],
      base.has(manager),
      (files) => ({
        kind: 'cache-files',
        manager,
        files,
      }),
    ),
  )
}

/** The PR image holds a package manager's cache or index. */
export const cacheFiles: ExplainRule = {
  key: 'package-cache-left',
  basis: 'files',
  explain(context) {
    const scope = fileScope(context)
    return scope ? cacheFindings(scope) : []
  },
}
