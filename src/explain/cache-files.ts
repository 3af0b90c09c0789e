/**
 * Package managers' caches and indexes still in the image, found by their files: one finding
 * per manager, with the exact bytes and the layers that wrote them.
 */
import type { CacheManager } from '../model/finding.js'
import { fileScope, pathFinding, viewFiles, type FileScope } from './evidence.js'
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

function cacheFindings(scope: FileScope, manager: CacheManager, pattern: RegExp): Finding[] {
  const paths = viewFiles(scope.head, (path) => pattern.test(path))
  const inBase =
    scope.base !== undefined && viewFiles(scope.base, (path) => pattern.test(path)).length > 0
  return pathFinding(scope, 'package-cache-left', paths, inBase, (files) => ({
    kind: 'cache-files',
    manager,
    files,
  }))
}

/** The PR image holds a package manager's cache or index. */
export const cacheFiles: ExplainRule = {
  key: 'package-cache-left',
  basis: 'files',
  explain(context) {
    const scope = fileScope(context)
    if (!scope) return []
    return CACHE_PATHS.flatMap(([manager, pattern]) => cacheFindings(scope, manager, pattern))
  },
}
