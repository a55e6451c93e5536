import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../helpers.ts';

function electronInstalled(): boolean {
  try {
    const dir = join(repoRoot, 'node_modules', 'electron');
    return existsSync(join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8').trim()));
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it('without an Electron binary, says so in one line and serves the app on 127.0.0.1', async () => {
    const config = tempDir();
    // Where Electron is installed, `--web` asks for the same fallback on purpose.
    const args = electronInstalled() ? ['--web'] : [];
    const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.ts'), ...args], {
      cwd: repoRoot,
      env: { PATH: process.env['PATH'] ?? '', HOME: config, XDG_CONFIG_HOME: config },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed; output was:\n${output}`)), 90_000);
        const check = (): void => {
          const found = output.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/);
          if (found) {
            clearTimeout(timer);
            resolve(found[0]);
          }
        };
        child.stdout.on('data', check);
        child.on('exit', () => reject(new Error(`exited early:\n${output}`)));
      });
      if (args.length === 0) expect(output).toContain('Electron is not installed and could not be downloaded');
      const status = await new Promise<number>((resolve, reject) => {
        request(url, (res) => resolve(res.statusCode ?? 0)).on('error', reject).end();
      });
      expect(status).toBe(303);
      // The desktop app's default archive was created where the CLI will also look for it.
      expect(existsSync(join(config, 'Kartoteka', 'archive', 'catalogue.sqlite'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
