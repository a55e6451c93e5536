// `npm test`: type-check, lint, build the renderer, then every vitest project. Ends with one line
// `N passed, N failed` that sums all of them, which is what CI reads.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);
const extra = process.argv.slice(2);

let passed = 0;
let failed = 0;

function step(label: string, command: string, args: string[]): boolean {
  console.log(`\n── ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  const ok = result.status === 0;
  if (ok) passed++;
  else failed++;
  console.log(`── ${label}: ${ok ? 'ok' : 'FAILED'}`);
  return ok;
}

step('type-check (tsc -b, every layer)', bin('tsc'), ['-b']);
step('lint (eslint, layer rules)', bin('eslint'), ['.']);
const built = step('build (electron-vite)', bin('electron-vite'), ['build']);

const reportDir = join(root, 'test-results');
mkdirSync(reportDir, { recursive: true });
const reportFile = join(reportDir, 'vitest.json');
rmSync(reportFile, { force: true });
console.log('\n── vitest (unit and end-to-end)');
const projects = built ? [] : ['--project', 'unit'];
const vitest = spawnSync(
  bin('vitest'),
  ['run', ...projects, '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...extra],
  { cwd: root, stdio: 'inherit' },
);
try {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { numPassedTests: number; numFailedTests: number; numTotalTests: number };
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  if (vitest.status !== 0 && report.numFailedTests === 0) failed++;
} catch {
  console.error('vitest wrote no report: counting the run as one failure.');
  failed++;
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
