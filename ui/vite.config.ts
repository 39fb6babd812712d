/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Offline desktop app: everything is bundled locally, nothing is fetched remotely.
export default defineConfig(({ mode }) => ({
  base: './',
  plugins: [svelte()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    host: '127.0.0.1',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // WebKitGTK 2.36+ (Debian 12 / Ubuntu 22.04) handles Safari 15-level syntax.
    target: 'safari15',
    cssTarget: 'safari15',
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  // Under Vitest (mode "test"), use Svelte's browser runtime so runes and
  // effects behave as in the app, even though tests run in Node.
  resolve: mode === 'test' ? { conditions: ['browser'] } : {},
  test: {
    include: ['src/**/*.{test,spec}.ts'],
    environment: './vitest.environment.ts',
  },
}));
