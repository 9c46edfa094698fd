import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * `npm run build` writes dist/, which `npm start` (scripts/start-all.ts) and the console image serve.
 * `npm run dev` serves the app with hot reload and forwards /graphql, /config.json and the development
 * sign-in to a running `npm start` (CONSOLE_DEV_SERVER, default http://127.0.0.1:4100).
 */
const upstream = process.env.CONSOLE_DEV_SERVER ?? 'http://127.0.0.1:4100';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: { '/graphql': upstream, '/config.json': upstream, '/auth': upstream },
  },
});
