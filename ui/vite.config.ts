/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Offline desktop app: everything is bundled locally, nothing is fetched remotely.
export default defineConfig(({ mode }) => ({
  base: './',
  plugins: [svelte()],
  clearScreen: false,
  // pdf.js character maps and Type 1 standard fonts, bundled (see src/lib/pdf.ts).
  assetsInclude: ['**/*.bcmap', '**/*.pfb'],
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
    // pdf.js is large: it is loaded only when a PDF is previewed, in its own chunks.
    chunkSizeWarningLimit: 2048,
    rolldownOptions: {
      // Timing notes depend on the machine (2 cores here), not on the code: keep the build output clean.
      checks: { bundlerTimings: false },
      output: {
        // pdf.js imports its JavaScript image decoders by fixed file name from one folder: keep those names.
        assetFileNames: (asset) =>
          asset.names.some((n) => n.endsWith('_nowasm_fallback.js'))
            ? 'assets/pdfjs/[name][extname]'
            : 'assets/[name]-[hash][extname]',
      },
    },
  },
  // Under Vitest (mode "test"), use Svelte's browser runtime so runes and
  // effects behave as in the app, even though tests run in Node.
  resolve: mode === 'test' ? { conditions: ['browser'] } : {},
  test: {
    include: ['src/**/*.{test,spec}.ts'],
    environment: './vitest.environment.ts',
  },
}));
