// One lint setup for the whole tree. The layering rules of STYLE.md §1 are enforced here with a
// `no-restricted-imports` entry per folder; each entry lists the complete option set for its
// folder because flat config replaces (never merges) a rule's options.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const electronOnlyInShell = {
  regex: '^electron(/|$)',
  message: 'Only src-main/electron and src-preload may import electron.',
};
const noElectronFolders = {
  group: ['**/electron/**', '**/src-main/electron/**'],
  message: 'Main-process code other than src-main/electron must not depend on the Electron shell.',
};
const noMainFromOutside = {
  group: ['**/src-main/**'],
  message: 'Only the main process may import src-main; use the contract in src-shared.',
};
const noRendererOrPreload = {
  group: ['**/src-renderer/**', '**/src-preload/**'],
  message: 'Main-process and shared code must not import renderer or preload code.',
};

const restrict = (...patterns) => ['error', { patterns }];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'out/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
      'e2e/artifacts/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'smart'],
      'no-restricted-imports': restrict(electronOnlyInShell),
    },
  },
  {
    // core is pure Node: no Electron, no Express, no adapters.
    files: ['src-main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        electronOnlyInShell,
        {
          group: ['express', 'express/*', 'swagger-ui-express', 'busboy', 'supertest'],
          message: 'src-main/core knows nothing of HTTP: put adapters in src-main/api.',
        },
        {
          group: ['**/api/**', '**/src-main/api/**', '**/server.js'],
          message: 'core must not depend on the HTTP adapter.',
        },
        noElectronFolders,
        noRendererOrPreload,
      ),
    },
  },
  {
    files: ['src-main/api/**/*.ts', 'src-main/server.ts'],
    rules: {
      'no-restricted-imports': restrict(
        electronOnlyInShell,
        noElectronFolders,
        noRendererOrPreload,
      ),
    },
  },
  {
    // The shell is the one main-process folder that may import electron.
    files: ['src-main/electron/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(noRendererOrPreload) },
  },
  {
    // The contract: pure TypeScript every process imports. Nothing but zod and itself.
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod(/|$)|\\.{1,2}/)',
              message: 'src-shared imports nothing but zod and other src-shared files.',
            },
            {
              group: ['**/src-main/**', '**/src-renderer/**', '**/src-preload/**'],
              message: 'src-shared imports nothing but zod and other src-shared files.',
            },
          ],
        },
      ],
    },
  },
  {
    // The preload sees renderer-side Electron and the contract; nothing of main or the renderer.
    files: ['src-preload/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(noMainFromOutside, {
        group: ['**/src-renderer/**'],
        message: 'The preload must not import renderer code.',
      }),
    },
  },
  {
    // The renderer: the DOM and the contract; never main-process code, Electron or Node.
    files: ['src-renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      // Advice for the React Compiler, which this project does not use.
      'react-hooks/incompatible-library': 'off',
      'no-restricted-imports': restrict(electronOnlyInShell, noMainFromOutside, {
        group: ['**/src-preload/**', 'node:*'],
        message: 'The renderer talks to WorkstationClient only; no preload or Node imports.',
      }),
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
