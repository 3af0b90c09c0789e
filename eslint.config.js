import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'fixtures/', 'examples/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/ban-ts-comment': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    // Type-aware: a promise nobody awaits or handles loses its error (an unhandled rejection, or
    // a step that ends before its work); one passed where a plain callback is expected likewise.
    files: ['src/**/*.ts', '__tests__/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // The CLI and the repo's scripts talk to a terminal; the action logs through @actions/core.
    files: ['src/cli/**', 'scripts/**', '__tests__/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Domain code stays free of the Actions toolkit (STYLE.md: four layers, one direction).
    files: ['src/**'],
    ignores: ['src/main.ts', 'src/index.ts', 'src/action/**', 'src/github/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@actions/*'] }],
    },
  },
)
