/**
 * Development dependencies in the PR image, from the package databases: npm packages only the
 * app's `devDependencies` need, and test tools in Python's site-packages.
 */
import type { PackageRecord } from '../model/files.js'
import type { EvidencePackage } from '../model/finding.js'
import { fileScope, pathFinding, type FileScope } from './evidence.js'
import type { ExplainRule, Finding } from './types.js'

/** Test tools, by their normalised distribution names (PEP 503) */
const PYTHON_TEST_PACKAGES = /^(?:pytest(?:-.+)?|nose2?|tox|coverage|mock|hypothesis)$/

const normalise = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-')

export function isDevPackage(p: PackageRecord): boolean {
  if (p.manager === 'npm') return p.dev === true
  return p.manager === 'python' && PYTHON_TEST_PACKAGES.test(normalise(p.name))
}

function devFinding(scope: FileScope): Finding[] {
  const found = scope.head.packages.filter(isDevPackage)
  const inBase = scope.base?.packages.some(isDevPackage) ?? false
  // A package's directory is its evidence path; a size the database does not give counts 0
  const paths = found.map((p) => ({ path: p.path, bytes: p.bytes ?? 0, layer: p.layer }))
  const packages: EvidencePackage[] = [...found]
    .sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0) || (a.name < b.name ? -1 : 1))
    .map((p) => ({
      manager: p.manager,
      name: p.name,
      version: p.version,
      bytes: p.bytes,
      layer: p.layer,
    }))
  return pathFinding(scope, 'dev-dependencies', paths, inBase, (files) => ({
    kind: 'dev-packages',
    packages,
    bytes: files.bytes,
  }))
}

/** The PR image installs packages only development or tests need. */
export const devPackages: ExplainRule = {
  key: 'dev-dependencies',
  basis: 'files',
  explain(context) {
    const scope = fileScope(context)
    return scope ? devFinding(scope) : []
  },
}
