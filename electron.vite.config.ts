import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { writeViewer } from './scripts/build-viewer.ts';

export default defineConfig({
  main: {
    // The bundle viewer (issue 6): one script beside main, which exports inline into each bundle's index.html.
    plugins: [{ name: 'kartoteka-bundle-viewer', apply: 'build', closeBundle: async () => void (await writeViewer(resolve('out/viewer/viewer.js'), resolve('.'))) }],
    build: {
      rolldownOptions: {
        input: { index: resolve('src/main/index.ts'), 'extract-worker': resolve('src/core/ingest/extract-worker.ts'), 'bundle-index-worker': resolve('src/core/bundles/index-worker.ts') },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only electron: bundle everything else into it.
      externalizeDeps: false,
      // A sandboxed preload cannot be an ES module, whatever package.json says.
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react()],
    build: {
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
});
