/**
 * What tests touch inside the page (evaluate callbacks, init scripts). This project type-checks tests
 * without the DOM library, so page code reaches these through `globalThis as unknown as PageGlobals`
 * instead of pulling DOM types into every Node file.
 */
export interface PageSocket {
  onopen: (() => void) | null;
  onclose: ((event: { code: number }) => void) | null;
}

export interface PageElement {
  src: string;
  textContent: string | null;
  onload: (() => void) | null;
  onerror: (() => void) | null;
}

export interface PageGlobals {
  frontdesk?: Record<string, unknown> & { app: Record<string, (request?: unknown) => Promise<unknown>> };
  WebSocket: new (url: string) => PageSocket;
  document: {
    createElement(tag: 'script'): PageElement;
    head: { append(element: PageElement): void };
    addEventListener(
      type: 'securitypolicyviolation',
      listener: (event: { violatedDirective: string; blockedURI: string; sourceFile: string; lineNumber: number }) => void,
      capture: boolean,
    ): void;
  };
  [name: string]: unknown;
}
