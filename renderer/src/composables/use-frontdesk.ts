import type { FrontdeskApi } from '../../../shared/ipc/api';
import { fail } from '../../../shared/ipc/result';

/**
 * Stands in when no bridge was installed (a page opened outside Electron and the preview host): every call
 * answers `transport_unavailable` and no event ever arrives, so the UI says it is waiting for core
 * instead of crashing on `undefined`.
 */
function missingBridge(): FrontdeskApi {
  const unavailable = () =>
    Promise.resolve(fail('transport_unavailable', 'window.frontdesk is missing: the page was loaded without the preload or bridge.'));
  const domain = new Proxy({}, { get: () => unavailable });
  const on = () => () => {};
  return new Proxy({}, { get: (_target, key) => (key === 'on' ? on : domain) }) as FrontdeskApi;
}

/** The single access point to core. Stores and components call this, never `window.frontdesk` directly. */
export function useFrontdesk(): FrontdeskApi {
  return window.frontdesk ?? missingBridge();
}
