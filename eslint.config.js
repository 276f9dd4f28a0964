import js from '@eslint/js';
import globals from 'globals';
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

const electronImports = {
  paths: [
    { name: 'electron', message: 'Only electron/main may import Electron: core, shared and relay stay plain Node.' },
    { name: 'electron-store', message: 'Use the settings port; electron-store lives in electron/main.' },
  ],
};

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'stream', 'url', 'util', 'worker_threads', 'module', 'process', 'events', 'buffer'];

export default tseslint.config(
  { ignores: ['dist/**', 'dist-electron/**', 'dist-host/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' } },
  },
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'always'],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['electron/core/**', 'shared/**', 'relay/**'],
    rules: { 'no-restricted-imports': ['error', electronImports] },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { ...electronImports, patterns: [{ group: ['node:*', ...nodeBuiltins], message: 'shared/ is pure TypeScript: no Node, no DOM.' }] },
      ],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronImports.paths,
          patterns: [
            { group: ['node:*', ...nodeBuiltins], message: 'The renderer has no Node: ask core through window.frontdesk.' },
            { group: ['**/electron/**'], message: 'The renderer never imports from electron/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/e2e/**', 'scripts/**', 'tests/host/bridge-client.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['tests/host/bridge-client.ts', 'tests/e2e/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
