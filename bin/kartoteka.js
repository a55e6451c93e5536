#!/usr/bin/env node
// Kartoteka's CLI runs its TypeScript sources directly, which needs Node 24 (type stripping and
// node:sqlite). `npm run kartoteka` and `npx kartoteka` use the Node 24 the project pins.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `kartoteka needs Node 24 (this is Node ${process.versions.node}). Run it as \`npm run kartoteka -- ...\` or \`npx kartoteka ...\` inside the project, which use the Node 24 it installs.`,
  );
  process.exit(2);
}
// Imports wait on the disk (fsync) for many files at once; libuv's default pool of 4 threads would
// make reading the next files queue behind those waits. Must be set before the pool starts.
process.env.UV_THREADPOOL_SIZE ??= '16';
const { main } = await import('../src/cli/kartoteka.ts');
process.exitCode = await main(process.argv.slice(2));
