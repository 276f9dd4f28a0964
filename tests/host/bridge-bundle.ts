import { resolve } from 'node:path';

const entry = resolve(import.meta.dirname, 'bridge-client.ts');

let cached: Promise<string> | null = null;

/**
 * bridge-client.ts and what it imports (the contract, zod) as one classic script, built in memory with
 * vite's API once per process and shared by every host in it.
 */
export function bridgeScript(): Promise<string> {
  cached ??= bundle().catch((error: unknown) => {
    cached = null;
    throw error;
  });
  return cached;
}

async function bundle(): Promise<string> {
  const { build } = await import('vite');
  const output = await build({
    // Not the repository's vite.config.ts: that one builds the renderer (and, outside preview, Electron).
    configFile: false,
    root: resolve(import.meta.dirname, '../..'),
    logLevel: 'silent',
    mode: 'production',
    publicDir: false,
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      write: false,
      emptyOutDir: false,
      minify: false,
      sourcemap: false,
      copyPublicDir: false,
      target: 'es2022',
      lib: { entry, formats: ['iife'], name: 'frontdeskPreviewBridge', fileName: () => 'bridge.js' },
    },
  });
  const outputs = Array.isArray(output) ? output : [output];
  for (const result of outputs) {
    if (!('output' in result)) continue;
    const chunk = result.output.find((item) => item.type === 'chunk' && item.isEntry);
    if (chunk && chunk.type === 'chunk') return chunk.code;
  }
  throw new Error('Building /bridge.js produced no script');
}
