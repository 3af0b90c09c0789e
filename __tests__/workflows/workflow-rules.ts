import { parse } from 'yaml'

/**
 * Checks on workflow files that a linter cannot make: the inputs given to this action exist in
 * its action.yml, and third-party actions are pinned (and, in the README, on their current
 * node24 major).
 */

export interface ActionInput {
  required: boolean
  hasDefault: boolean
}

/** action.yml's inputs by name. */
export function readActionInputs(actionYml: string): Map<string, ActionInput> {
  const doc = parse(actionYml) as { inputs?: Record<string, Record<string, unknown> | null> }
  return new Map(
    Object.entries(doc.inputs ?? {}).map(([name, input]) => [
      name,
      {
        required: input?.required === true || input?.required === 'true',
        hasDefault: input?.default !== undefined,
      },
    ]),
  )
}

export interface Step {
  /** Where the step is, for messages: `file: job/step` */
  where: string
  uses?: string
  with?: Record<string, unknown>
}

type StepLike = { uses?: unknown; with?: unknown; id?: unknown; name?: unknown }

/** Every step of a workflow's jobs, or of a bare list of steps (the README's snippets). */
export function stepsOf(doc: unknown, file: string): Step[] {
  const asStep = (s: StepLike, where: string): Step => ({
    where,
    uses: typeof s.uses === 'string' ? s.uses : undefined,
    with: s.with && typeof s.with === 'object' ? (s.with as Record<string, unknown>) : undefined,
  })
  const label = (s: StepLike, i: number) => String(s.id ?? s.name ?? s.uses ?? `step ${i + 1}`)
  if (Array.isArray(doc)) return doc.map((s: StepLike, i) => asStep(s, `${file}: ${label(s, i)}`))
  const jobs = (doc as { jobs?: Record<string, { steps?: StepLike[] }> } | null)?.jobs ?? {}
  return Object.entries(jobs).flatMap(([job, body]) =>
    (body?.steps ?? []).map((s, i) => asStep(s, `${file}: ${job}/${label(s, i)}`)),
  )
}

/** The local action (`./`) or this project's published name (image-size-gate/image-size-gate@v0). */
export const isThisAction = (uses: string) =>
  uses === './' || uses === '.' || /^image-size-gate\/image-size-gate@/.test(uses)

/** A step of this action: every `with:` key is an input of action.yml, every required one given. */
export function checkActionInputs(step: Step, inputs: Map<string, ActionInput>): string[] {
  const given = Object.keys(step.with ?? {})
  const problems = given
    .filter((key) => !inputs.has(key))
    .map((key) => `${step.where}: input "${key}" is not in action.yml`)
  for (const [name, input] of inputs) {
    if (input.required && !input.hasDefault && !given.includes(name))
      problems.push(`${step.where}: required input "${name}" is not given`)
  }
  return problems
}

/** owner/repo[/path]@ref, split; undefined for local actions and docker:// images. */
export function parseUses(uses: string): { action: string; ref: string } | undefined {
  const match = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)(?:\/[^@]*)?@(.+)$/.exec(uses)
  return match ? { action: match[1], ref: match[2] } : undefined
}

/**
 * A third-party action runs at a ref its owner cannot silently move to another major: a major
 * tag (v4), a release (v4.1.2) or a full commit sha. Branches (main, master) and docker images
 * without a tag or digest are refused.
 */
export function checkPinned(step: Step): string[] {
  const uses = step.uses
  if (!uses || uses.startsWith('./') || uses === '.' || isThisAction(uses)) return []
  if (uses.startsWith('docker://')) {
    return /(@sha256:[0-9a-f]{64}|:[\w][\w.-]*)$/.test(uses.slice('docker://'.length))
      ? []
      : [`${step.where}: ${uses} has no tag or digest`]
  }
  const parsed = parseUses(uses)
  if (!parsed) return [`${step.where}: "${uses}" is not owner/repo@ref`]
  return /^(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(parsed.ref)
    ? []
    : [`${step.where}: ${uses} is not pinned to a major tag, a release or a commit sha`]
}

/** The major of a `vN` or `vN.N.N` ref; undefined for a sha. */
export const majorOf = (ref: string) => /^v(\d+)/.exec(ref)?.[1]

/** Every third-party action is at the major that the table gives as its current node24 one. */
export function checkCurrentMajor(step: Step, current: Record<string, number>): string[] {
  const parsed = step.uses && !isThisAction(step.uses) ? parseUses(step.uses) : undefined
  if (!parsed) return []
  const want = current[parsed.action]
  if (want === undefined)
    return [
      `${step.where}: ${parsed.action} is not in the table of current node24 majors; read its action.yml at its newest release and add it`,
    ]
  const major = majorOf(parsed.ref)
  return major === String(want)
    ? []
    : [`${step.where}: ${step.uses} should be ${parsed.action}@v${want} (its current node24 major)`]
}
