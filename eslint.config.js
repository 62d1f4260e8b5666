import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Lint what types alone do not catch. The promise rules are the point: a promise nobody awaits or handles
 * (DESIGN.md: no fire-and-forget) loses its errors and can outlive a shutdown. `void x` marks a deliberate one.
 */
export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'coverage', '.data', 'dev/slack-api-specs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
);
