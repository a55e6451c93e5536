// `npm start`: build, then open the Electron app; where Electron's binary is missing and cannot
// be fetched (no internet), say so in one line and start the local web mode instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);
const electronDir = join(root, 'node_modules', 'electron');
const args = process.argv.slice(2);
const webOnly = args.includes('--web') || process.env['KARTOTEKA_WEB'] === '1';

function electronBinary(): string | undefined {
  try {
    const relative = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim();
    const path = join(electronDir, 'dist', relative);
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function run(command: string, commandArgs: string[]): Promise<number> {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

const build = spawnSync(bin('electron-vite'), ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) {
  console.error('kartoteka: the build failed (see above).');
  process.exit(build.status ?? 1);
}

let electron = webOnly ? undefined : electronBinary();
if (!webOnly && !electron) {
  // One attempt to fetch the binary that `npm install` skipped; quiet, because offline it fails.
  spawnSync(process.execPath, [join(electronDir, 'install.js')], { cwd: root, stdio: 'ignore', timeout: 180_000 });
  electron = electronBinary();
  if (!electron) {
    console.log('Electron is not installed and could not be downloaded (no internet?), so Kartoteka starts in its local web mode instead.');
  }
}

const cli = join(root, 'bin', 'kartoteka.js');
const passThrough = args.filter((a) => a !== '--web');
process.exitCode = electron
  ? await run(electron, [root, ...passThrough])
  : await run(process.execPath, [cli, 'serve', ...passThrough]);
