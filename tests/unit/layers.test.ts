import { join } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers.ts';

// Probe files do not exist on disk, so type-aware rules (which need them in a tsconfig) are off here;
// the layer rule itself needs no types.
const eslint = new ESLint({
  cwd: repoRoot,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-misused-promises': 'off',
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
});

async function restrictedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the layer rule in ESLint', () => {
  it.each([
    ['src/renderer/src/bad.ts', "import { Archive } from '../../core/archive.ts';"],
    ['src/renderer/src/bad.ts', "import { readFileSync } from 'node:fs';"],
    ['src/renderer/src/bad.ts', "import { ipcRenderer } from 'electron';"],
    ['src/preload/bad.ts', "import { search } from '../core/search.ts';"],
    ['src/shared/bad.ts', "import { join } from 'node:path';"],
    ['src/shared/bad.ts', "import { Archive } from '../core/archive.ts';"],
    ['src/core/bad.ts', "import { app } from 'electron';"],
    ['src/core/bad.ts', "import { startServer } from '../server/server.ts';"],
    ['src/core/bad.ts', "import { useState } from 'react';"],
    ['src/server/bad.ts', "import { registerApi } from '../main/ipc.ts';"],
    ['src/cli/bad.ts', "import { registerApi } from '../main/ipc.ts';"],
  ])('%s may not: %s', async (file, code) => {
    expect(await restrictedImports(file, `${code}\nexport {};\n`)).toHaveLength(1);
  });

  it.each([
    ['src/renderer/src/ok.ts', "import { contract } from '../../shared/contract.ts';"],
    ['src/core/ok.ts', "import { contract } from '../shared/contract.ts';"],
    ['src/main/ok.ts', "import { Archive } from '../core/archive.ts';"],
    ['src/cli/ok.ts', "import { startServer } from '../server/server.ts';"],
    ['src/preload/ok.ts', "import { contextBridge } from 'electron';"],
  ])('%s may: %s', async (file, code) => {
    expect(await restrictedImports(file, `${code}\nexport {};\n`)).toEqual([]);
  });
});

/** Type-checks one snippet with a layer's compiler options, as `tsc -b` would for a file there. */
function diagnostics(tsconfig: string, layerDir: string, code: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(repoRoot, tsconfig), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!config) throw new Error(`cannot read ${tsconfig}`);
  const fileName = join(repoRoot, layerDir, '__layer_probe__.ts');
  const host = ts.createCompilerHost({ ...config.options, noEmit: true, composite: false, emitDeclarationOnly: false, declaration: false });
  const read = host.readFile.bind(host);
  host.readFile = (name) => (name === fileName ? code : read(name));
  const exists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || exists(name);
  const program = ts.createProgram([fileName], { ...config.options, noEmit: true, composite: false, emitDeclarationOnly: false, declaration: false }, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('the per-layer tsconfigs', () => {
  it('give the renderer the DOM and no Node', () => {
    expect(diagnostics('tsconfig.renderer.json', 'src/renderer', 'export const t: string = document.title;')).toEqual([]);
    expect(diagnostics('tsconfig.renderer.json', 'src/renderer', 'export const p = process.env;').join()).toMatch(/Cannot find name 'process'/);
  });

  it('give core Node and no DOM', () => {
    expect(diagnostics('tsconfig.core.json', 'src/core', 'export const p = process.env;')).toEqual([]);
    expect(diagnostics('tsconfig.core.json', 'src/core', 'export const t = document.title;').join()).toMatch(/Cannot find name 'document'/);
  });

  it('give shared neither Node nor the DOM', () => {
    expect(diagnostics('tsconfig.shared.json', 'src/shared', 'export const p = process.env;').join()).toMatch(/Cannot find name 'process'/);
    expect(diagnostics('tsconfig.shared.json', 'src/shared', 'export const w = window;').join()).toMatch(/Cannot find name 'window'/);
  });
});
