import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The production build is served by the Renkei server (apps/server) from apps/web/dist.
// In development, `npm run dev -w @renkei/web` proxies /api to a server on RENKEI_API_URL.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/api': process.env.RENKEI_API_URL ?? 'http://localhost:8080' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
});
