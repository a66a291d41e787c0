import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console is built into dist/web and served by the API service itself
 * (src/console/console.module.ts). The service worker precaches the app shell so
 * the console opens without a network; API calls are never cached by it — writes
 * made offline go through the console's own IndexedDB queue (src/lib/offline-queue.ts).
 */
export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      // antd and rc-* mark their modules "use client" (a React Server Components hint that means nothing in a browser bundle)
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  server: { proxy: { '/api': 'http://localhost:3000' } },
  plugins: [
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      // public/ icons are already precached by globPatterns below
      includeManifestIcons: false,
      manifest: {
        id: '/',
        name: '清零 · 巩固拓展脱贫攻坚成果工作台',
        short_name: '清零',
        description: '排查、整改、提升、总结：问题台账与责任签字',
        lang: 'zh-CN',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#1677ff',
        icons: [
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // only the app shell is cached; /api goes to the network untouched (no runtimeCaching)
        cleanupOutdatedCaches: true,
        // registerType 'autoUpdate' sets these only with injectRegister 'auto'; we register in src/lib/service-worker.ts
        skipWaiting: true,
        clientsClaim: true,
        globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//],
      },
    }),
  ],
});
