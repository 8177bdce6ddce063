import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import local from './tools/eslint-plugin-local/index.mjs';

export default defineConfig(
  { ignores: ['out/', 'dist/', 'release/', 'node_modules/', 'tests/artifacts/', 'coverage/'] },
  {
    files: ['**/*.{ts,tsx,mts,cts,mjs,cjs}'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
  {
    // CommonJS entry points (bin/, electron main bundle shims) legitimately use require().
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.{js,mjs,cjs,ts,tsx,mts,cts}'],
    plugins: { local },
    // Root passed explicitly so the rule sees the same layers when eslint runs from a subfolder.
    rules: { 'local/code-layering': ['error', { root: import.meta.dirname }] },
  },
  {
    files: ['contract/**', 'main/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
);
