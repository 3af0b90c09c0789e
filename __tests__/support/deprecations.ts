/**
 * Deprecation warnings in a child's stderr. The bundle's children run with
 * `--trace-deprecation`, so each warning comes with the stack that raised it; a warning from
 * the project's own code fails the test (see run-action.ts), one from a dependency listed in
 * DEPENDENCY_DEPRECATIONS does not. The bundle is minified, but property names survive, so a
 * dependency's method is recognised by the name of the first frame outside Node itself.
 */

/** A deprecation warning as Node prints it: `(node:PID) [CODE] DeprecationWarning: text`. */
export interface Deprecation {
  /** DEP0169, or '' for a warning without a code */
  code: string
  message: string
  /** The `at …` lines below it (with --trace-deprecation), first frame first */
  stack: string[]
}

export interface DependencyDeprecation {
  code: string
  /** Matches the first frame that is not Node's own (`node:…`). */
  frame: RegExp
  /** Where it comes from and why the project cannot change it. */
  origin: string
}

/**
 * Deprecations that dependencies raise from the bundle (Node 24 reports DEP0169 for any caller
 * outside node_modules, and bundled code is outside it). Keep each as narrow as the stack allows.
 */
export const DEPENDENCY_DEPRECATIONS: DependencyDeprecation[] = [
  {
    code: 'DEP0169',
    frame: /^at [\w$]+\.dial \(/,
    origin:
      "docker-modem's Modem.prototype.dial (lib/modem.js) reads a tcp:// or ssh:// DOCKER_HOST with url.parse() (Node 24)",
  },
  {
    code: 'DEP0170',
    frame: /^at [\w$]+\.dial \(/,
    origin:
      'docker-modem\'s Modem.prototype.dial formats an ssh:// host as "ssh:HOST:PORTHOST" and url.resolve() parses it (Node 20 and 24)',
  },
]

const HEADLINE = /^\(node:\d+\) (?:\[([A-Z0-9_]+)\] )?DeprecationWarning: (.*)$/

export function findDeprecations(stderr: string): Deprecation[] {
  const found: Deprecation[] = []
  let current: Deprecation | undefined
  for (const line of stderr.split('\n')) {
    const headline = HEADLINE.exec(line)
    if (headline) {
      current = { code: headline[1] ?? '', message: headline[2], stack: [] }
      found.push(current)
    } else if (current && /^\s+at /.test(line)) current.stack.push(line.trim())
    else current = undefined
  }
  return found
}

/** The dependency a deprecation comes from, or undefined when it is the project's own. */
export function dependencyOf(deprecation: Deprecation): DependencyDeprecation | undefined {
  const caller = deprecation.stack.find((frame) => !/\(node:|^at node:/.test(frame))
  return DEPENDENCY_DEPRECATIONS.find(
    (known) => known.code === deprecation.code && caller !== undefined && known.frame.test(caller),
  )
}

/** Throws when `stderr` holds a deprecation warning that no known dependency accounts for. */
export function expectNoOwnDeprecations(stderr: string, what: string): void {
  const own = findDeprecations(stderr).filter((d) => !dependencyOf(d))
  if (own.length === 0) return
  // Frames reworded from "at …" to "from …": Jest would read them as this error's own stack.
  const lines = own.map((d) =>
    [
      `[${d.code || 'no code'}] ${d.message}`,
      ...d.stack.slice(0, 6).map((f) => `  from ${f.slice(3)}`),
    ].join('\n'),
  )
  throw new Error(
    `${what} printed ${own.length} deprecation warning(s) not from a known dependency ` +
      `(__tests__/support/deprecations.ts):\n${lines.join('\n')}`,
  )
}

/**
 * `stderr` as a user sees it without --trace-deprecation: each warning's headline stays, the
 * stack lines under it go (tests look for stack traces in a run's output).
 */
export function withoutDeprecationStacks(stderr: string): string {
  const kept: string[] = []
  let inWarning = false
  for (const line of stderr.split('\n')) {
    if (HEADLINE.test(line)) inWarning = true
    else if (inWarning && /^\s+at /.test(line)) continue
    else inWarning = false
    kept.push(line)
  }
  return kept.join('\n')
}
