// Builds the bundle viewer (src/viewer, with the analyzer, query parser and MiniSearch it imports)
// into one script, out/viewer/viewer.js, that every exported bundle inlines into its index.html.
//
// Why a build step: the viewer must use the app's own analyzer (same folding, stemming and
// transliteration), which is TypeScript importing npm packages; a browser opening index.html from
// a folder needs it as one plain script. The packaged app has no sources and no bundler, so the
// script is made when the app is built (electron.vite.config.ts calls writeViewer), and the CLI,
// the tests and the benchmark, which run from the sources, call ensureViewer: it builds the script
// when it is missing or older than its sources (viewer.json beside it lists them with a hash).
//
//   node scripts/build-viewer.ts        writes out/viewer/viewer.js
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

/** The repository; electron.vite.config.ts passes it, since a bundled config moves import.meta.url. */
const defaultRoot = fileURLToPath(new URL('..', import.meta.url));
export const defaultViewerPath = join(defaultRoot, 'out', 'viewer', 'viewer.js');

interface Sidecar {
  inputs: string[];
  hash: string;
}

const hashOf = (files: readonly string[]): string => {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update('\0').update(existsSync(file) ? readFileSync(file) : 'missing').update('\0');
  return hash.digest('hex');
};

/** The viewer as one minified IIFE, and the files it was made from. */
export async function buildViewer(root = defaultRoot): Promise<{ code: string; inputs: string[] }> {
  const output = await build({
    input: join(root, 'src', 'viewer', 'main.ts'),
    cwd: root,
    platform: 'browser',
    write: false,
    logLevel: 'warn',
    output: { format: 'iife', minify: true, comments: { legal: false } },
  });
  const chunk = output.output.find((o) => o.type === 'chunk');
  if (!chunk || chunk.type !== 'chunk') throw new Error('rolldown produced no viewer script');
  const inputs = chunk.moduleIds.filter((id) => !id.startsWith('\0') && existsSync(id)).sort();
  return { code: chunk.code, inputs };
}

/** Builds the viewer into `path` (and its sidecar), replacing what was there in one rename. */
export async function writeViewer(path = defaultViewerPath, root = defaultRoot): Promise<string> {
  const { code, inputs } = await buildViewer(root);
  mkdirSync(dirname(path), { recursive: true });
  const suffix = `.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(path + suffix, code);
  writeFileSync(`${path}.json${suffix}`, JSON.stringify({ inputs, hash: hashOf(inputs) } satisfies Sidecar));
  renameSync(`${path}.json${suffix}`, `${path}.json`);
  renameSync(path + suffix, path);
  return path;
}

/** The viewer's path, built first when it is missing or its sources changed since. */
export async function ensureViewer(path = defaultViewerPath): Promise<string> {
  try {
    const sidecar = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as Sidecar;
    if (existsSync(path) && sidecar.inputs.length > 0 && hashOf(sidecar.inputs) === sidecar.hash) return path;
  } catch {
    // No sidecar (never built, or built by another tool): build.
  }
  return writeViewer(path);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const path = await writeViewer(process.argv[2] ?? defaultViewerPath);
  console.log(`Wrote ${path} (${Math.round(readFileSync(path).length / 1024)} KB) in ${Date.now() - started} ms.`);
}
