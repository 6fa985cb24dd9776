// Vite config of the renderer: builds the React UI into dist/renderer with relative asset URLs, so the
// same files load from the web host, from app://plantdesk/ in Electron and from file://.
// `vite dev` proxies the contract (/api, HTTP and WebSocket) to a web host on 127.0.0.1:8470.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The React Fast Refresh preamble that `vite dev` injects is an inline script, which the strict CSP
 * of index.html forbids. Only the dev server relaxes it; the built index.html keeps the strict policy.
 */
function relaxCspForDevServer(): Plugin {
  return {
    name: 'plantdesk-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");
    },
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), relaxCspForDevServer()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // ECharts alone is ~500 kB minified even tree-shaken; that is expected for a desktop app.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: 'http://127.0.0.1:8470', ws: true },
    },
  },
});
