// Lint config: typescript-eslint's recommended rules, plus the one dependency rule
// (source/core imports no UI and no I/O library; docs/architecture.md) enforced as an error.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const forbiddenInCore = ['ink', 'ink-*', '@alcalzone/*', 'react', 'react/*', 'undici', 'sql.js', 'keytar',
  'node:net', 'net', 'node:http', 'http', 'node:https', 'https', 'node:fs', 'fs', 'node:fs/*', 'fs/*',
  'node:worker_threads', 'worker_threads', 'node:child_process', 'child_process', 'node:timers', 'timers', 'node:timers/*', 'timers/*'];
// Time in the engine comes from the Clock port, so tests run on fake time (docs/architecture.md).
const timerGlobals = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate']
  .map((name) => ({ name, message: 'source/core takes its timers from the Clock port (clock.setTimeout, clock.nextTurn), so tests run on fake time.' }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
      setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', Buffer: 'readonly', URL: 'readonly',
      TextDecoder: 'readonly', TextEncoder: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly', fetch: 'readonly',
      performance: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Hooks called in a stable order with complete dependency lists: a list left short on
    // purpose hid stale reads of the engine before.
    files: ['source/ui/**', 'test/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['source/core/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: forbiddenInCore,
        message: 'source/core imports no UI or I/O library (docs/architecture.md): take it through a port in ports.ts.' }] }],
      'no-restricted-globals': ['error', ...timerGlobals],
    },
  },
  {
    // The one real Clock: the only place in core where Node's timers are called.
    files: ['source/core/clock.ts'],
    rules: { 'no-restricted-globals': 'off' },
  },
);
