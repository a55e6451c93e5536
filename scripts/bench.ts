// `npm run bench -- <what>`: benchmarks, separate from the tests. Each prints its figures and a
// baseline measured in the same run.
// As bin/kartoteka.js does: a bigger libuv pool so file reads do not queue behind fsyncs.
process.env.UV_THREADPOOL_SIZE ??= '16';
const what = process.argv[2];
const benches: Record<string, () => Promise<unknown>> = {
  import: () => import('./bench/import.ts'),
  search: () => import('./bench/search.ts'),
  export: () => import('./bench/export.ts'),
};
const run = what ? benches[what] : undefined;
if (!run) {
  console.error(`Usage: npm run bench -- <${Object.keys(benches).join('|')}> [options]`);
  process.exit(2);
}
await run();
