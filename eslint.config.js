// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)].filter((m) => !m.startsWith('_'));

/**
 * The layer rule (DESIGN.md): shared <- core <- {main, cli, server}; renderer and preload import
 * only shared. Each layer lists what it may not import.
 */
const layer = (name, forbiddenLayers, { node = true, electron = false, react = false } = {}) => ({
  name: `layers/${name}`,
  files: [`src/${name}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: [
          ...(node ? [] : nodeBuiltins.map((m) => ({ name: m, message: `src/${name} runs without Node: it may not import ${m}.` }))),
          ...(electron ? [] : [{ name: 'electron', message: `src/${name} may not import electron (DESIGN.md, layers).` }]),
          ...(react ? [] : ['react', 'react-dom', 'react-dom/client', 'react-i18next'].map((m) => ({ name: m, message: `src/${name} may not import ${m}.` }))),
        ],
        patterns: [
          {
            regex: `^\\.{1,2}/(?:.*/)?(?:${forbiddenLayers.join('|')})/`,
            message: `src/${name} may not import from ${forbiddenLayers.join(', ')} (DESIGN.md: shared <- core <- main, cli, server; renderer and preload import only shared).`,
          },
        ],
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', '.tsbuild/**', 'test-results/**', 'resources/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'src/viewer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  layer('shared', ['core', 'main', 'cli', 'server', 'renderer', 'preload'], { node: false }),
  layer('core', ['main', 'cli', 'server', 'renderer', 'preload']),
  layer('main', ['cli', 'server', 'renderer', 'preload'], { electron: true }),
  layer('cli', ['main', 'renderer', 'preload']),
  layer('server', ['main', 'cli', 'renderer', 'preload']),
  layer('renderer', ['core', 'main', 'cli', 'server', 'preload'], { node: false, react: true }),
  // The bundle viewer (issue 6) runs in a browser from a file: it takes the analyzer and query parser from core.
  layer('viewer', ['main', 'cli', 'server', 'renderer', 'preload'], { node: false }),
  layer('preload', ['core', 'main', 'cli', 'server', 'renderer'], { node: false, electron: true }),
);
