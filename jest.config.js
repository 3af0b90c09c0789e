// Three projects so each kind of test can be run on its own:
//   unit   - pure domain code, no services
//   engine - real Docker engines and the real registry (scripts/testbed.sh up)
//   e2e    - node dist/index.js as the runner runs it, against a loopback GitHub API
const common = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
}

export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.engine\\.test\\.ts$', '\\.e2e\\.test\\.ts$'],
    },
    { ...common, displayName: 'engine', testMatch: ['<rootDir>/__tests__/**/*.engine.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/__tests__/**/*.e2e.test.ts'] },
  ],
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.mjs'],
}
