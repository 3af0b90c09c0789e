import { hasEnv, runs } from './packages.js'
import { commandText, hasOption, packageCommands, type Command } from './shell.js'
import type { ExplainRule } from './types.js'
import { listOf } from '../format/text.js'
import { grownRuns, layerFinding, quote } from './text.js'

interface DevCheck {
  /** The command that installs development dependencies, if one does */
  find(commands: Command[]): Command | undefined
  idiom: string
  /** The image's environment already leaves development dependencies out (an ENV line) */
  settledBy?: { name: string; value: RegExp }
  /** What the layers cannot show: ENV lines make no layer */
  caveat?: string
}

const DEV_FILE = /(?:^|[-_./])(?:dev|develop|development|test|tests|testing)(?:[-_.]|$)/
const DEV_EXTRAS = /\[[^\]]*\b(?:dev|test|tests|testing)\b/

const DEV_CHECKS: DevCheck[] = [
  {
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
    idiom: '`npm ci --omit=dev`',
    settledBy: { name: 'NODE_ENV', value: /^production$/ },
    caveat: 'If an ENV line sets `NODE_ENV=production`, npm already leaves them out.',
  },
  {
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
    idiom: '`pip install --no-cache-dir -r requirements.txt` (the runtime requirements only)',
  },
  {
    find: (commands) =>
      commands.find((command) => {
        const p = packageCommands([command])[0]
        if (p?.manager !== 'bundle' || p.action !== 'install') return false
        const without =
          hasOption(p, '--without', /dev/) || hasEnv(commands, 'BUNDLE_WITHOUT', /dev/)
        return !without && !runs(commands, 'bundle', 'config')
      }),
    idiom: "`bundle config set --local without 'development test' && bundle install`",
    settledBy: { name: 'BUNDLE_WITHOUT', value: /dev/ },
    caveat: 'If an ENV line sets `BUNDLE_WITHOUT`, Bundler already leaves them out.',
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
  explain({ steps, comparison }) {
    const used = new Set<DevCheck>()
    // The image's final environment (config Env): an ENV line makes no layer, but lands there.
    const env = comparison.head.env ?? []
    const settled = (check: DevCheck) =>
      check.settledBy !== undefined &&
      env.some((e) => {
        const [name, value = ''] = [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]
        return name === check.settledBy?.name && check.settledBy.value.test(value)
      })
    const checks = DEV_CHECKS.filter((check) => !settled(check))
    const hits = grownRuns(steps).flatMap((step) => {
      const found = checks.flatMap((check) => {
        const command = check.find(step.commands)
        if (command) used.add(check)
        return command ? [quote(commandText(command))] : []
      })
      return found.length ? [{ step, clause: `runs ${listOf(found)}` }] : []
    })
    const usedChecks = checks.filter((check) => used.has(check))
    const caveats = usedChecks.flatMap((check) => (check.caveat ? [` ${check.caveat}`] : []))
    return layerFinding(
      {
        key: 'dev-dependencies',
        title: 'Development dependencies installed',
        fix: `Install production dependencies only: ${usedChecks.map((c) => c.idiom).join('; ')}.`,
      },
      hits,
      'Development dependencies (test, lint and build tools) are installed into the image. ',
      caveats.join(''),
    )
  },
}
