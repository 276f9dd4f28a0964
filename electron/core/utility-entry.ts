/**
 * Core's entry in the app: an Electron utilityProcess. Main posts `{ type: 'init', ... }` with one
 * MessagePort; everything after that goes over the port (see remote-ports.ts). No Electron import here:
 * `process.parentPort` is provided by the utility process itself.
 */
import type { CoreInit } from './remote-ports';
import { startCoreOverEndpoint } from './remote-ports';

interface PortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  off(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
  start(): void;
}
interface ParentPort {
  once(event: 'message', listener: (event: { data: unknown; ports: PortLike[] }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  process.stderr.write('utility-entry must run inside an Electron utility process\n');
  process.exit(1);
}

parentPort.once('message', ({ data, ports }) => {
  const port = ports[0];
  const init = (data as { type?: string; init?: CoreInit }).init;
  if (!port || (data as { type?: string }).type !== 'init' || !init) {
    process.stderr.write('core: the first message from main must be init with one port\n');
    process.exit(1);
  }
  startCoreOverEndpoint(
    {
      post: (message) => port.postMessage(message),
      listen(handler) {
        const listener = (event: { data: unknown }) => handler(event.data);
        port.on('message', listener);
        return () => port.off('message', listener);
      },
    },
    init,
  );
  port.start();
});
