import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the API, health check and sync socket live on the server
// process; the dev server forwards them so the app can use its own origin.
const apiTarget = `http://127.0.0.1:${process.env.RAPPORTEUR_API_PORT ?? 8080}`;

export default defineConfig({
  plugins: [react()],
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
