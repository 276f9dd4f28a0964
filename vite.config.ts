import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import electron from 'vite-plugin-electron';
import { contentSecurityPolicy } from './shared/security/csp';

const root = import.meta.dirname;
/** Where dist/renderer and dist-electron go: the repository unless FRONTDESK_BUILD_ROOT names a staging project (packaging test). */
const outRoot = process.env.FRONTDESK_BUILD_ROOT ? resolve(process.env.FRONTDESK_BUILD_ROOT) : root;
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

/** Main and core load their npm dependencies (native better-sqlite3 among them) from node_modules at run time. */
const nodeExternals = ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`), ...Object.keys(pkg.dependencies)];

/** The one CSP as a <meta> too (a header cannot carry frame-ancestors' sibling meta rules, so drop it there). */
function cspMeta(): Plugin {
  const policy = contentSecurityPolicy
    .split('; ')
    .filter((directive) => !directive.startsWith('frame-ancestors'))
    .join('; ');
  return {
    name: 'frontdesk-csp-meta',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' }],
  };
}

function nodeBuild(entry: string, fileName: string, format: 'es' | 'cjs', external: string[]) {
  return {
    entry,
    vite: {
      build: {
        outDir: resolve(outRoot, 'dist-electron'),
        emptyOutDir: false,
        sourcemap: true,
        minify: false,
        lib: { entry, formats: [format], fileName: () => fileName },
        rollupOptions: { external },
      },
    },
  };
}

export default defineConfig(({ mode }) => ({
  root: resolve(root, 'renderer'),
  base: './',
  plugins: [
    vue(),
    cspMeta(),
    // The preview host (tests/host) needs only the renderer; the Electron side is built for the app.
    ...(mode === 'preview'
      ? []
      : electron([
          nodeBuild(resolve(root, 'electron/main/index.ts'), 'main.js', 'es', nodeExternals),
          nodeBuild(resolve(root, 'electron/core/utility-entry.ts'), 'core.js', 'es', nodeExternals),
          // A sandboxed preload can require only 'electron': everything else is bundled into one CommonJS file.
          nodeBuild(resolve(root, 'electron/preload/index.ts'), 'preload.cjs', 'cjs', ['electron']),
        ])),
  ],
  build: {
    outDir: resolve(outRoot, 'dist/renderer'),
    emptyOutDir: true,
    // No inline scripts or data-URL modules: CSP allows only 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
}));
