import { defineConfig } from 'vite';

/**
 * The preload runs sandboxed, where only CommonJS `require('electron')` (and a few Node shims)
 * exist: bundle it, contract and zod included, into one CommonJS file.
 */
export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist/preload',
    emptyOutDir: true,
    target: 'chrome140',
    minify: false,
    sourcemap: true,
    lib: {
      entry: 'src-preload/preload.ts',
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    rollupOptions: {
      external: ['electron'],
    },
  },
});
