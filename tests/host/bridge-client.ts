/**
 * /bridge.js: the preview host's stand-in for Electron's preload. Bundled at host start (see bridge-bundle.ts)
 * into one classic script that the host puts before the app's first script, so `window.frontdesk` exists
 * before the renderer runs — built from the same contract as the preload, over a WebSocket to this page's own
 * origin. The renderer knows nothing of it.
 */
// First: it must run before the contract's schemas are built.
import './zod-jitless';
import { buildFrontdeskApi } from '../../shared/ipc';
import { createBridgeTransport } from './bridge-transport';
import type { SocketLike } from './bridge-transport';
import { bridgePath } from './protocol';

/** The little of the page this needs (this file is type-checked without the DOM library). */
interface PageGlobals {
  location: { protocol: string; host: string };
  WebSocket: new (url: string) => SocketLike;
  console: { error(...args: unknown[]): void };
}

const page = globalThis as unknown as PageGlobals;

// The page's own origin, never the script's: a foreign page that includes this script talks to itself.
const url = `${page.location.protocol === 'https:' ? 'wss' : 'ws'}://${page.location.host}${bridgePath}`;

const transport = createBridgeTransport({
  connect: () => new page.WebSocket(url),
  onHandlerError: (error) => {
    // Surface it like any uncaught error in the page, without breaking the other handlers.
    setTimeout(() => {
      throw error;
    });
  },
});

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (typeof inner === 'object' && inner !== null) deepFreeze(inner);
  return Object.freeze(value);
}

// As with contextBridge: the page gets a plain object it cannot replace or change.
Object.defineProperty(globalThis, 'frontdesk', {
  value: deepFreeze(buildFrontdeskApi(transport)),
  writable: false,
  configurable: false,
  enumerable: true,
});
