import type { BuildTime, BuildTimes } from '../model/build-time.js'
import type { Report } from '../report/report.js'

/**
 * How long build mode took per image, one sentence for the comment and the job summary and one
 * line for the terminal: "Build times: PR image 41.2 s (2 of 5 steps from the cache), base
 * image 3.0 s (4 of 5 steps from the cache)." Nothing when no image was built. Only numbers
 * the build measured go in, so nothing here needs escaping.
 */
export function renderBuildTimes(report: Report): string[] {
  const sentence = buildTimesSentence(report.builds)
  return sentence ? [`<sub>${sentence}</sub>`] : []
}

/** The terminal's line, or none. */
export function buildTimesLines(report: Report): string[] {
  const sentence = buildTimesSentence(report.builds)
  return sentence ? ['', sentence] : []
}

function buildTimesSentence(builds: BuildTimes | undefined): string | undefined {
  const parts = [
    builds?.head && `PR image ${describe(builds.head)}`,
    builds?.base && `base image ${describe(builds.base)}`,
  ].filter((part): part is string => Boolean(part))
  return parts.length > 0 ? `Build times: ${parts.join(', ')}.` : undefined
}

function describe(time: BuildTime): string {
  const seconds = `${formatSeconds(time.seconds)}${time.failed ? ', failed' : ''}`
  if (time.steps === undefined) return seconds
  const step = time.steps === 1 ? 'step' : 'steps'
  return `${seconds} (${time.cachedSteps ?? 0} of ${time.steps} ${step} from the cache)`
}

/** 0.4 s, 41.2 s, 2 min 5 s */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`
  const whole = Math.round(seconds)
  return `${Math.floor(whole / 60)} min ${whole % 60} s`
}
