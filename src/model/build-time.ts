/**
 * How long build mode took to build each image (issue 10, item 7). Plain data: the builds
 * measure it (src/image-build), the report carries it, the renderers word it.
 */
export interface BuildTime {
  /** Wall-clock seconds of the `docker build` (or `docker buildx build`) command */
  seconds: number
  /** Build steps the builder reported (classic `Step N/M`, BuildKit `[stage n/m]`); when known */
  steps?: number
  /** Of those, the steps it took from its cache instead of running them; when known */
  cachedSteps?: number
  /** true when this build failed (a base that does not build still took this long) */
  failed?: boolean
}

/** The images build mode built in this run; an image read rather than built is absent. */
export interface BuildTimes {
  head?: BuildTime
  base?: BuildTime
}
