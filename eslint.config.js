import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** Folders under electron/ that each run one network service, with index.ts as their only public import. */
const SERVICES = ['tftp', 'dhcp', 'syslog'];

// Matched against the import specifier as written. Folders are reached by relative paths, so only a
// specifier made of `../` steps and then the folder counts: a package path such as `node:stream/web`
// or a service's own subfolder does not.
const noElectron = {
  regex: '^electron(/|$)',
  message: 'Only electron/shell/ and electron/ipc/ run inside Electron.',
};

function noFolders(folders, message) {
  return { regex: `^(\\.\\./)+(electron/)?(${folders.join('|')})(/|$)`, message };
}

function frontDoorOnly(service) {
  return {
    regex: `^(\\.\\./)+(electron/)?${service}/(?!index\\.js$)`,
    message: `Import the ${service} service through its front door, ${service}/index.js.`,
  };
}

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
  // Services and hosts (electron/README.md). Each service folder runs headless and in tests and knows
  // nothing of who hosts it; hosts compose services through each one's index.js and nothing else.
  ...SERVICES.map((service) => ({
    files: [`electron/${service}/**/*.ts`],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noElectron,
            noFolders(
              ['app', 'cli', 'shell', 'web', 'ipc', 'renderer'],
              'A service never reaches up into a host, the app layer, the IPC layer or the UI: hosts compose services.',
            ),
            ...SERVICES.filter((other) => other !== service).map(frontDoorOnly),
          ],
        },
      ],
    },
  })),
  {
    // The app layer is shared by the desktop app and `serve --ui`: no Electron, no host.
    files: ['electron/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noElectron,
            noFolders(
              ['cli', 'shell', 'web', 'ipc', 'renderer'],
              'The app layer is shared by every host: hosts import it, never the other way round.',
            ),
            ...SERVICES.map(frontDoorOnly),
          ],
        },
      ],
    },
  },
  {
    // `tftp-desk serve` (and its --ui) runs in plain Node: no Electron, no desktop shell.
    files: ['electron/cli/**/*.ts', 'electron/web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noElectron,
            noFolders(
              ['shell', 'ipc', 'renderer'],
              'The headless hosts run in plain Node: no Electron shell, no IPC layer, no renderer code.',
            ),
            ...SERVICES.map(frontDoorOnly),
          ],
        },
      ],
    },
  },
  {
    files: ['electron/shell/**/*.ts', 'electron/ipc/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noFolders(['renderer'], 'The renderer is reached only through the preload and the IPC contract.'),
            ...SERVICES.map(frontDoorOnly),
          ],
        },
      ],
    },
  },
  {
    // The syslog service: only itself, shared/, node: builtins and packages. Never Electron, the
    // app, the hosts (CLI, web) or the renderer, and no other service's folder.
    files: ['electron/syslog/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', '**/renderer/**'] },
            {
              regex: '^\\.\\./(?!\\.\\./shared/)',
              message: 'A service imports only itself, shared/, node: builtins and packages.',
            },
          ],
        },
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
