import { hasEnv, runs } from './packages.js'
import { commandText, hasOption, packageCommands, type Command } from './shell.js'
import type { ExplainRule } from './types.js'
import type { DevManager } from '../model/finding.js'
import { grownRuns, layerFinding } from './text.js'

interface DevCheck {
  manager: DevManager
  /** The command that installs development dependencies, if one does */
  find(commands: Command[]): Command | undefined
  /** The image's environment already leaves development dependencies out (an ENV line) */
  settledBy?: { name: string; value: RegExp }
}

const DEV_FILE = /(?:^|[-_./])(?:dev|develop|development|test|tests|testing)(?:[-_.]|$)/
const DEV_EXTRAS = /\[[^\]]*\b(?:dev|test|tests|testing)\b/

const DEV_CHECKS: DevCheck[] = [
  {
    manager: 'npm',
    find: (commands) =>
      commands.find((command) => {
        const p = packageCommands([command])[0]
        if (
          p?.manager !== 'npm' ||
          !['install', 'i', 'ci'].includes(p.action) ||
          p.operands.length > 0
        )
          return false
        const production =
          hasOption(p, '--omit', /dev/) ||
          hasOption(p, '--production') ||
          hasOption(p, '--only', /^prod/)
        return !production && !hasEnv([command], 'NODE_ENV', /^production$/) && !prunes(commands)
      }),
    settledBy: { name: 'NODE_ENV', value: /^production$/ },
  },
  {
    manager: 'pip',
    find: (commands) =>
      commands.find((command) => {
        const p = packageCommands([command])[0]
        if (p?.manager !== 'pip' || p.action !== 'install') return false
        const files = [...(p.values.get('-r') ?? []), ...(p.values.get('--requirement') ?? [])]
        const targets = [...p.operands, ...(p.values.get('-e') ?? [])]
        return (
          files.some((f) => DEV_FILE.test(f.slice(f.lastIndexOf('/') + 1))) ||
          targets.some((o) => DEV_EXTRAS.test(o))
        )
      }),
  },
  {
    manager: 'bundle',
    find: (commands) =>
      commands.find((command) => {
        const p = packageCommands([command])[0]
        if (p?.manager !== 'bundle' || p.action !== 'install') return false
        const without =
          hasOption(p, '--without', /dev/) || hasEnv(commands, 'BUNDLE_WITHOUT', /dev/)
        return !without && !runs(commands, 'bundle', 'config')
      }),
    settledBy: { name: 'BUNDLE_WITHOUT', value: /dev/ },
  },
]

const prunes = (commands: Command[]) =>
  packageCommands(commands).some(
    (p) =>
      p.manager === 'npm' &&
      p.action === 'prune' &&
      (hasOption(p, '--production') || hasOption(p, '--omit', /dev/)),
  )

/** An added or grown RUN installs the project's development dependencies too. */
export const devDependencies: ExplainRule = {
  key: 'dev-dependencies',
  basis: 'steps',
  // The package databases show npm's and Python's development packages; Bundler's stay a hint
  withFiles: true,
  explain({ steps, comparison, files }) {
    const used = new Set<DevCheck>()
    // The image's final environment (config Env): an ENV line makes no layer, but lands there.
    const env = comparison.head.env ?? []
    const settled = (check: DevCheck) =>
      check.settledBy !== undefined &&
      env.some((e) => {
        const [name, value = ''] = [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]
        return name === check.settledBy?.name && check.settledBy.value.test(value)
      })
    const checks = DEV_CHECKS.filter(
      (check) => !settled(check) && (!files || check.manager === 'bundle'),
    )
    const hits = grownRuns(steps).flatMap((step) => {
      const found = checks.flatMap((check) => {
        const command = check.find(step.commands)
        if (command) used.add(check)
        return command ? [commandText(command)] : []
      })
      return found.length ? [{ step, seen: found }] : []
    })
    const managers = checks.filter((check) => used.has(check)).map((check) => check.manager)
    return layerFinding('dev-dependencies', hits, (h) => ({
      kind: 'dev-dependencies',
      hits: h,
      managers,
    }))
  },
}
