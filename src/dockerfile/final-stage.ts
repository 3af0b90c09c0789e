import { METADATA_ONLY } from '../model/instruction.js'
import type { Dockerfile, DockerfileInstruction, DockerfileStage } from './parse-dockerfile.js'

/**
 * What one instruction of the final image left in the history, as the mapper compares it:
 * - `none`: no layer (ENV, LABEL, ARG, …): kept only for the order
 * - `maybe`: a layer or not, depending on the builder and the tree (WORKDIR)
 * - `layer`: one layer; `text` compared in full, `weak` (the classic builder's COPY/ADD, which
 *   records only `COPY file:<hash> in DEST`) only by keyword and destination
 * - `unknown`: a layer whose recorded text cannot be predicted: the mapping stops there
 */
export interface ExpectedStep {
  instruction: DockerfileInstruction
  kind: 'none' | 'maybe' | 'layer' | 'unknown'
  text?: string
  weak?: string
}

/** Variables in scope: ARG and ENV values, for the instructions Docker substitutes them in. */
type Vars = Map<string, string>

/**
 * The instructions that make the image built with `--target` (or the last stage), bottom
 * first: the final stage's, preceded by those of the stage it is built FROM when that is a
 * stage of the same file, and so on. Stages copied from (`COPY --from`) are not in the image.
 * Undefined when there is no such stage.
 */
export function expectedSteps(
  dockerfile: Dockerfile,
  options: { target?: string; buildArgs?: Record<string, string> } = {},
): ExpectedStep[] | undefined {
  const buildArgs = options.buildArgs ?? {}
  const globals: Vars = new Map()
  for (const arg of dockerfile.globalArgs) declareArg(arg, globals, new Map(), buildArgs)
  const index = options.target
    ? dockerfile.stages.findIndex((s) => s.name === options.target?.toLowerCase())
    : dockerfile.stages.length - 1
  if (index < 0) return undefined
  const chain: DockerfileStage[] = []
  for (let at = index; at >= 0;) {
    const stage = dockerfile.stages[at]
    chain.unshift(stage)
    const from = substitute(stage.from, globals).toLowerCase()
    // A stage can only be built FROM one defined before it.
    at = dockerfile.stages.slice(0, at).findIndex((s) => s.name === from)
  }
  const steps: ExpectedStep[] = []
  const env: Vars = new Map()
  for (const stage of chain) {
    const vars: Vars = new Map(env)
    let shell = ['/bin/sh', '-c']
    for (const instruction of stage.instructions) {
      if (instruction.keyword === 'ARG') declareArg(instruction, vars, globals, buildArgs)
      if (instruction.keyword === 'ENV')
        for (const [k, v] of readEnv(instruction, vars)) {
          vars.set(k, v)
          env.set(k, v)
        }
      if (instruction.keyword === 'SHELL' && instruction.json) shell = instruction.json
      steps.push(expectStep(instruction, vars, shell))
    }
  }
  return steps
}

function expectStep(instruction: DockerfileInstruction, vars: Vars, shell: string[]): ExpectedStep {
  const { keyword, args, json, heredocs } = instruction
  if (METADATA_ONLY.has(keyword)) return { instruction, kind: 'none' }
  if (keyword === 'WORKDIR')
    return { instruction, kind: 'maybe', text: `WORKDIR ${substitute(args, vars)}` }
  if (keyword === 'RUN') {
    // BuildKit leaves RUN's flags (--mount, --network) out of the history.
    if (json) return { instruction, kind: 'layer', text: `RUN ${json.join(' ')}` }
    if (heredocs.length > 1 || /<<-/.test(args)) return { instruction, kind: 'unknown' }
    const command = `RUN ${shell.join(' ')} `
    const [heredoc] = heredocs
    if (!heredoc) return { instruction, kind: 'layer', text: command + args }
    // `RUN <<EOF` alone: the body is the command; `RUN cat <<EOF > f`: the line, body, terminator
    const alone = /^<<\s*["']?\w+["']?$/.test(args)
    const text = alone ? heredoc.body : `${args}\n${heredoc.body}${heredoc.name}`
    return { instruction, kind: 'layer', text: command + text }
  }
  if (keyword === 'COPY' || keyword === 'ADD') {
    // A heredoc source is recorded as written (`COPY <<EOF /f`), its body left out
    const parts = json ?? substitute(args, vars).split(/\s+/)
    const dest = parts.at(-1) ?? ''
    return {
      instruction,
      kind: 'layer',
      text: `${keyword} ${parts.join(' ')}`,
      weak: `${keyword} in ${dest}`,
    }
  }
  return { instruction, kind: 'unknown' }
}

/** `ARG NAME[=default]`: the build argument given, else the default, else the global value. */
function declareArg(
  instruction: DockerfileInstruction,
  vars: Vars,
  globals: Vars,
  buildArgs: Record<string, string>,
): void {
  for (const item of instruction.args.split(/\s+/).filter(Boolean)) {
    const [name, ...value] = item.split('=')
    const fallback =
      value.length > 0 ? unquote(substitute(value.join('='), vars)) : globals.get(name)
    const chosen = buildArgs[name] ?? fallback
    if (chosen !== undefined) vars.set(name, chosen)
  }
}

/** `ENV A=1 B="two words"` or the legacy `ENV A 1` */
function readEnv(instruction: DockerfileInstruction, vars: Vars): Array<[string, string]> {
  const args = instruction.args
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
    const [name, ...rest] = args.split(/\s+/)
    return [[name, substitute(rest.join(' '), vars)]]
  }
  const pairs: Array<[string, string]> = []
  for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g))
    pairs.push([m[1], unquote(substitute(m[2], vars))])
  return pairs
}

const unquote = (text: string) => text.replace(/^"(.*)"$/s, '$1').replace(/^'(.*)'$/s, '$1')

/** `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME:+word}`; unknown names are empty, as in Docker. */
export function substitute(text: string, vars: Vars): string {
  return text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (
      _m,
      braced: string | undefined,
      op: string | undefined,
      word: string | undefined,
      bare: string | undefined,
    ) => {
      const value = vars.get(braced ?? bare ?? '')
      if (op === '-') return value ? value : (word ?? '')
      if (op === '+') return value ? (word ?? '') : ''
      return value ?? ''
    },
  )
}
