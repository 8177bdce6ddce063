import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// No node:url here: the layering lint treats everything under renderer/ as window code.
const root = decodeURIComponent(new URL('.', import.meta.url).pathname).replace(/^\/([A-Za-z]:)/, '$1');

// The page is served under a per-launch token path (/<token>/), so every asset URL must be relative.
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
