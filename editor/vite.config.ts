import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The catalogs (packages/i18n/locales) hold the server's messages too —
 * e-mails, exports, the pages it renders: a fifth of each language, which
 * the browser never reads. They are left out of the editor's copy.
 */
function clientCatalogs(): Plugin {
  return {
    name: 'rapporteur-client-catalogs',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]packages[\\/]i18n[\\/]locales[\\/][a-z]{2}\.json$/.test(id)) return null;
      const { server: _server, ...client } = JSON.parse(code) as Record<string, unknown>;
      return { code: JSON.stringify(client), map: null };
    },
  };
}

// In development the API, health check and sync socket live on the server
// process; the dev server forwards them so the app can use its own origin.
const apiTarget = `http://127.0.0.1:${process.env.RAPPORTEUR_API_PORT ?? 8080}`;

export default defineConfig({
  plugins: [clientCatalogs(), react()],
  server: {
    proxy: {
      '/api': { target: apiTarget },
      '/healthz': { target: apiTarget },
      '/collab': { target: apiTarget, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    // Maps are written for whoever runs the server, but the bundles do not
    // point at them and the server never serves them (SPEC W3).
    sourcemap: 'hidden',
  },
});
