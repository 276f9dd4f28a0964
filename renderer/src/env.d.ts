/// <reference types="vite/client" />
import type { FrontdeskApi } from '../../shared/ipc/api';

declare global {
  interface Window {
    /**
     * The only way to core: installed by the preload (Electron) or by the preview host's bridge.js.
     * Optional on purpose — read it through `useFrontdesk()` only, which copes with a missing bridge.
     */
    frontdesk?: FrontdeskApi;
  }
}

export {};
