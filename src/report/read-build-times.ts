import type { BuildTime, BuildTimes } from '../model/build-time.js'
import { Fields, ReportFieldError } from './json-check-untrusted.js'

/** A day: no build of one image takes longer, and a bigger figure is not one this tool wrote. */
const MAX_SECONDS = 86_400

/** `builds` of an untrusted report (since 1.4), checked like every other field; absent stays so. */
export function readBuildTimes(root: Fields): { builds?: BuildTimes } {
  if (!root.has('builds')) return {}
  const builds = root.object('builds')
  const head = builds.objectOrNull('head')
  const base = builds.objectOrNull('base')
  const times: BuildTimes = {
    ...(head ? { head: readBuildTime(head, '$.builds.head') } : {}),
    ...(base ? { base: readBuildTime(base, '$.builds.base') } : {}),
  }
  return { builds: times }
}

function readBuildTime(b: Fields, path: string): BuildTime {
  const seconds = b.number('seconds')
  if (seconds < 0 || seconds > MAX_SECONDS)
    throw new ReportFieldError(`${path}.seconds`, `a number from 0 to ${MAX_SECONDS}`)
  const steps = b.integerOrNull('steps')
  const cachedSteps = b.integerOrNull('cachedSteps')
  if (cachedSteps !== undefined && (steps === undefined || cachedSteps > steps))
    throw new ReportFieldError(`${path}.cachedSteps`, 'at most steps')
  return {
    seconds,
    ...(steps !== undefined ? { steps } : {}),
    ...(cachedSteps !== undefined ? { cachedSteps } : {}),
    ...(b.boolean('failed') ? { failed: true } : {}),
  }
}
