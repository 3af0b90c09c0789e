export { isBuildArgsError, parseBuildArgs, BuildArgsError } from './build-args.js'
export { baseSpec, buildBaseAndHead, buildBaseOnly } from './build-base-and-head.js'
export type {
  BaseAndHead,
  BaseBuild,
  BaseBuildFailure,
  BuildBaseAndHeadOptions,
} from './build-base-and-head.js'
export { BuildError } from './build-error.js'
export { buildImage, cleanupBuiltImages, isBuildxAvailable, prepareBuilder } from './build-image.js'
export type { BuildImageOptions, BuildResult } from './build-image.js'
export { buildTags, type BuildSpec, type BuildTags } from './build-spec.js'
export type { CommandOptions, CommandResult, CommandRunner } from './command-runner.js'
export {
  cacheNeedsBuildx,
  parseCacheEntries,
  showCacheEntry,
  type CacheEntry,
  type CacheInput,
} from './cache-entries.js'
