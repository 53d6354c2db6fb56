import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The dev server injects an inline React Refresh preamble, which the production CSP
 * (`script-src 'self'`) forbids. Only while serving, relax script-src just enough for it;
 * the built index.html keeps the strict policy untouched.
 */
function devCspRelax(): Plugin {
  return {
    name: 'assay-dev-csp-relax',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");
    },
  };
}

export default defineConfig({
  root: 'src-renderer',
  // Relative asset URLs: the same build works from http://127.0.0.1:8000/ and from Electron's
  // own protocol (or file://), where an absolute "/assets/…" would point at the wrong root.
  base: './',
  plugins: [react(), devCspRelax()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    // plotly.js-dist-min is one prebuilt ~4.8 MB file; it is loaded lazily in its own chunk.
    chunkSizeWarningLimit: 5000,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      // The API takes state-changing requests from its own origin only: speak as that origin.
      '/api': {
        target: 'http://127.0.0.1:8000',
        changeOrigin: false,
        headers: { origin: 'http://127.0.0.1:8000' },
      },
    },
  },
});
