import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/**/out/**', '**/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['src/cli/**', 'bench/**', 'test/**', 'bin/**', 'src/demo/**', '**/*.test.ts', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  // Layers: rules are pure functions of frozen input; only src/collect and src/whatif talk to the driver.
  {
    files: ['src/analyzers/**/*.ts', 'src/explain/tips/**/*.ts', 'src/rewrite/rules/**/*.ts', 'src/migrate/lint/**/*.ts', 'src/n1/detect/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'pg', message: 'rules never talk to the database: read the Snapshot / Workload, or declare what-if' }],
          patterns: [
            { group: ['**/collect/*', '**/collect'], message: 'rules get collected data as input; only the engine and flows collect' },
            { group: ['**/cli/*', '**/cli'], message: 'rules are library code: the CLI depends on them, never the reverse' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'pg', message: 'the CLI sends no SQL: put the work in a flow (src/flows) or a domain folder' }],
          patterns: [{ group: ['**/collect/*', '**/collect', '**/whatif/*'], message: 'the CLI parses argv, calls a flow (src/flows) and renders its Report' }],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
