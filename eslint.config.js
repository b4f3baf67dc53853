// Lint: typescript-eslint's recommended rules, module cycles (import-x), and
// the layer boundaries of DESIGN.md written as restricted imports, so a
// layer that reaches into one it must not know fails CI.
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const restrict = (files, patterns, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
  },
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', 'coverage/**', 'tests/.artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
    },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-relative-packages': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  restrict(['packages/schema/**'], ['react', 'react-dom', '@tiptap/react', '@rapporteur/client', '@rapporteur/server', '@rapporteur/editor', '@rapporteur/schema'], 'packages/schema depends on Tiptap/ProseMirror and the protocol\'s shapes only (DESIGN.md).'),
  restrict(['packages/protocol/**'], ['react', '@tiptap/*', '@rapporteur/*', 'express', 'ws'], 'packages/protocol holds wire formats only.'),
  restrict(['packages/client/**'], ['react', '@tiptap/*', 'express', '@rapporteur/schema', '@rapporteur/server'], 'packages/client speaks the API and the sync socket only.'),
  restrict(['server/**'], ['react', 'react-dom', '@tiptap/react', '@rapporteur/client', '@rapporteur/editor'], 'The server never imports browser code.'),
  restrict(['server/src/transport/**'], ['yjs', 'y-protocols*', 'better-sqlite3', '**/storage/**', '**/rooms/**', '**/sync/**', '**/http/**', 'express'], 'transport must not know Yjs, storage or HTTP routes (DESIGN.md layers).'),
  restrict(['server/src/storage/**'], ['**/rooms/**', '**/sync/**', '**/transport/**', '**/http/**', 'express', 'ws'], 'storage must not know rooms, sockets or HTTP.'),
  restrict(['server/src/rooms/**'], ['express', 'better-sqlite3', 'ws', '**/transport/**', '**/sync/**', '**/http/**', '**/storage/sqlite/**'], 'rooms know the DocumentStore interface, not Express, sockets or SQL.'),
  restrict(['server/src/history/**'], ['express', 'better-sqlite3', 'ws', '**/transport/**', '**/sync/**', '**/http/**', '**/rooms/**', '**/storage/sqlite/**'], 'history knows the DocumentStore interface and Yjs, not rooms, SQL, sockets or HTTP.'),
  restrict(['server/src/sync/**'], ['express', 'better-sqlite3', '**/storage/sqlite/**', '**/http/**'], 'sync knows the store interfaces, not SQL or HTTP.'),
  restrict(['server/src/imports/**'], ['express', 'better-sqlite3', 'ws', 'multer', '**/transport/**', '**/sync/**', '**/http/**', '**/rooms/**', '**/storage/**'], 'imports turn files into document bodies: no HTTP, rooms, sockets or SQL.'),
  restrict(['server/src/http/**'], ['ws', 'better-sqlite3', '**/transport/**', '**/sync/**', '**/storage/sqlite/**'], 'http routes must not reach socket internals or SQL.'),
  restrict(['editor/**'], ['express', 'better-sqlite3', 'ws', '@rapporteur/server'], 'The editor talks to the server over HTTP and the sync socket only.'),
);
