import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// Raw Electron IPC lives in electron/ipc/ (typed over the contract, senders checked) and in the
// preload; anywhere else a channel would bypass both.
const RAW_IPC = [
  {
    selector: 'Identifier[name=/^ipc(Main|Renderer)$/]',
    message:
      'Raw IPC belongs in electron/ipc/ or the preload: declare the channel in shared/ipc-contract.ts.',
  },
  {
    selector: "MemberExpression[property.name=/^(send|sendToFrame|postMessage)$/][object.name='webContents']",
    message:
      'Pushes go through electron/ipc/ (forwardPushes): declare the channel in shared/ipc-contract.ts.',
  },
  {
    selector:
      "MemberExpression[property.name=/^(send|sendToFrame|postMessage)$/][object.property.name='webContents']",
    message:
      'Pushes go through electron/ipc/ (forwardPushes): declare the channel in shared/ipc-contract.ts.',
  },
];

// Components reach the server only through renderer/actions.ts, which turns answers and failures
// into store updates and messages.
const BRIDGE_ACCESS = [
  {
    selector: "MemberExpression[property.name='tftp']",
    message: 'Components call renderer/actions.ts, not window.tftp.',
  },
  {
    selector: 'Identifier[name=/^(currentBridge|getBridge|createWsBridge)$/]',
    message: 'Components call renderer/actions.ts, not the bridge.',
  },
  {
    selector: 'ImportDeclaration[source.value=/bridge/i]',
    message: 'Components call renderer/actions.ts, not the bridge.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-electron/**',
      'release/**',
      'test-results/**',
      'playwright-report/**',
      'node_modules/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
    },
  },
  {
    // The engine runs headless and in tests: it must never reach for Electron or the UI.
    files: ['electron/tftp/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        { patterns: ['electron', '../ipc/*', '../../renderer/*', '**/renderer/**', '**/ipc/**'] },
      ],
    },
  },
  {
    // shared/ is imported by both sides: no Node, no DOM-only APIs, no Electron.
    files: ['shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { patterns: ['node:*', 'electron', 'react'] }],
    },
  },
  {
    // The renderer sees the main process only through the bridge (window.tftp or the WebSocket).
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'electron', '**/electron/**'] }],
    },
  },
  {
    files: ['electron/**/*.ts', 'shared/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: ['electron/ipc/**', 'electron/**/preload.ts'],
    rules: { 'no-restricted-syntax': ['error', ...RAW_IPC] },
  },
  {
    files: ['renderer/components/**/*.{ts,tsx}'],
    rules: { 'no-restricted-syntax': ['error', ...RAW_IPC, ...BRIDGE_ACCESS] },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
      },
    },
  },
);
