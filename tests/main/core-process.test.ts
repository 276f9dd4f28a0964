import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMainMethodHandlers, createUtilityLauncher, startCoreProcess } from '../../electron/main/core-process';
import type { CoreProcess, CoreProcessOptions, MainSidePorts } from '../../electron/main/core-process';
import { coreMethods, mainMethods, notifications, startCoreOverEndpoint } from '../../electron/core/remote-ports';
import type { CoreInit } from '../../electron/core/remote-ports';
import { createHeadlessDesktop } from '../../electron/core/node-ports';
import { createRpcPeer } from '../../shared/rpc/peer';
import type { MessageEndpoint, RpcHandlers, RpcPeer } from '../../shared/rpc/peer';
import { ok } from '../../shared/ipc';

/** Electron's MessagePortMain, in memory: structured-clone delivery, queued until start(). */
class FakePort extends EventEmitter {
  other!: FakePort;
  closed = false;
  private started = false;
  private queue: unknown[] = [];
  postMessage(message: unknown) {
    if (this.closed || this.other.closed) return;
    const copy = structuredClone(message);
    setImmediate(() => this.other.deliver(copy));
  }
  deliver(data: unknown) {
    if (this.closed) return;
    if (this.started) this.emit('message', { data, ports: [] });
    else this.queue.push(data);
  }
  start() {
    this.started = true;
    for (const data of this.queue.splice(0)) this.emit('message', { data, ports: [] });
  }
  close() {
    this.closed = true;
  }
}

function portPair() {
  const port1 = new FakePort();
  const port2 = new FakePort();
  port1.other = port2;
  port2.other = port1;
  return { port1, port2 };
}

function endpointOf(port: FakePort): MessageEndpoint {
  return {
    post: (message) => port.postMessage(message),
    listen(handler) {
      const listener = (event: { data: unknown }) => handler(event.data);
      port.on('message', listener);
      return () => void port.off('message', listener);
    },
  };
}

class FakeChild extends EventEmitter {
  killed = false;
  kill() {
    this.killed = true;
    return true;
  }
}

const init: CoreInit = { dataDir: '/tmp/frontdesk-never-written', host: { appVersion: '9.8.7', platform: 'linux', transport: 'electron' } };

function memoryPorts(): MainSidePorts & { saved: Map<string, unknown> } {
  const saved = new Map<string, unknown>();
  return {
    saved,
    keychain: {
      isAvailable: vi.fn(async () => true),
      wrap: vi.fn(async (plain: Uint8Array) => new Uint8Array([...plain].reverse())),
      unwrap: vi.fn(async (wrapped: Uint8Array) => new Uint8Array([...wrapped].reverse())),
    },
    settings: {
      get: vi.fn(async (key: string) => saved.get(key)),
      set: vi.fn(async (key: string, value: unknown) => void saved.set(key, value)),
      delete: vi.fn(async (key: string) => void saved.delete(key)),
      all: vi.fn(async () => Object.fromEntries(saved)),
    },
    dialogs: {
      chooseFolder: vi.fn(async () => '/home/desk/Backups'),
      chooseSaveFile: vi.fn(async () => null),
      chooseOpenFile: vi.fn(async () => null),
    },
    print: {
      printHtmlFile: vi.fn(async () => ({ printed: true })),
    },
    desktop: createHeadlessDesktop(),
  };
}

/** A stand-in for core on the far side of the port, for what real core does not do on demand. */
interface ScriptedCore {
  peer: RpcPeer;
  notes: Array<[string, unknown]>;
  child: FakeChild;
}

const running: CoreProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((core) => core.stop()));
});

function start(options: Partial<CoreProcessOptions> & { far?: 'real' | RpcHandlers } = {}) {
  const children: FakeChild[] = [];
  const scripted: ScriptedCore[] = [];
  const ports = memoryPorts();
  const log = vi.fn();
  const onEvent = vi.fn();
  const onGiveUp = vi.fn();
  const core = startCoreProcess({
    launch() {
      const { port1, port2 } = portPair();
      const child = new FakeChild();
      children.push(child);
      if (options.far && options.far !== 'real') {
        const notes: Array<[string, unknown]> = [];
        scripted.push({ child, notes, peer: createRpcPeer(endpointOf(port2), options.far, (topic, payload) => void notes.push([topic, payload])) });
      } else {
        startCoreOverEndpoint(endpointOf(port2), init);
      }
      port2.start();
      return { child, port: port1 };
    },
    ports,
    log,
    onEvent,
    onGiveUp,
    stopTimeoutMs: 200,
    ...options,
  });
  running.push(core);
  return { core, children, scripted, ports, log, onEvent, onGiveUp };
}

describe('core in its utility process', () => {
  it('answers requests through the real core on the far side of the port', async () => {
    const { core } = start();
    await expect(core.invoke('app:ping', { message: 'hello' })).resolves.toMatchObject({ ok: true, value: { message: 'hello' } });
    await expect(core.invoke('app:info', undefined)).resolves.toEqual(
      ok({ name: 'Frontdesk', version: '9.8.7', platform: 'linux', transport: 'electron' }),
    );
  });

  it("writes core's log entries as they arrive", async () => {
    const { log } = start();
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith('core', expect.objectContaining({ level: 'info', message: 'Core started' })));
  });

  it("hands core's events to the forwarder and ignores malformed log notes", async () => {
    const { scripted, onEvent, log } = start({ far: {} });
    const far = scripted[0]!.peer;
    far.notify(notifications.event, { name: 'app:tick', payload: { at: 1, seq: 0 } });
    far.notify(notifications.log, { level: 'shout', message: 'nope' });
    far.notify(notifications.log, { level: 'warn', message: 'Disk almost full', fields: { freeMb: 12 } });
    await vi.waitFor(() => expect(onEvent).toHaveBeenCalledWith('app:tick', { at: 1, seq: 0 }));
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith('core', { level: 'warn', message: 'Disk almost full', fields: { freeMb: 12 } }));
    expect(log).not.toHaveBeenCalledWith('core', expect.objectContaining({ message: 'nope' }));
  });

  it("serves main's ports to core: keychain bytes, settings, dialogs", async () => {
    const { scripted, ports } = start({ far: {} });
    const far = scripted[0]!.peer;
    await expect(far.call(mainMethods.keychainIsAvailable)).resolves.toBe(true);
    const wrapped = await far.call<Uint8Array>(mainMethods.keychainWrap, new Uint8Array([1, 2, 3]));
    expect(wrapped).toEqual(new Uint8Array([3, 2, 1]));
    await expect(far.call(mainMethods.keychainUnwrap, wrapped)).resolves.toEqual(new Uint8Array([1, 2, 3]));
    await far.call(mainMethods.settingsSet, { key: 'ui.theme', value: 'dark' });
    await expect(far.call(mainMethods.settingsGet, { key: 'ui.theme' })).resolves.toBe('dark');
    await far.call(mainMethods.settingsDelete, { key: 'ui.theme' });
    expect(ports.saved.has('ui.theme')).toBe(false);
    await expect(far.call(mainMethods.chooseFolder, { title: 'Back up to' })).resolves.toBe('/home/desk/Backups');
    await expect(far.call(mainMethods.chooseSaveFile, { title: 'Save', defaultName: 'invoice.pdf' })).resolves.toBeNull();
    await expect(far.call(mainMethods.printHtmlFile, { path: '/tmp/frontdesk-print-x/transcript.html', title: 'Transcript' })).resolves.toEqual({ printed: true });
    expect(ports.print.printHtmlFile).toHaveBeenCalledWith({ path: '/tmp/frontdesk-print-x/transcript.html', title: 'Transcript' });
  });

  it('refuses malformed calls from core instead of passing them to the OS', async () => {
    const { scripted, ports } = start({ far: {} });
    const far = scripted[0]!.peer;
    await expect(far.call(mainMethods.keychainWrap, 'not bytes')).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(far.call(mainMethods.settingsGet, { key: '' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(far.call(mainMethods.chooseFolder, { title: 'x', properties: ['multiSelections'] })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(far.call('shell.openExternal', 'file:///etc/passwd')).rejects.toMatchObject({ code: 'unknown_method' });
    // Print takes only an absolute path to an HTML file.
    for (const path of ['transcript.html', '/etc/passwd', 'https://example.com/x.html']) {
      await expect(far.call(mainMethods.printHtmlFile, { path, title: 't' })).rejects.toMatchObject({ code: 'invalid_request' });
    }
    expect(ports.print.printHtmlFile).not.toHaveBeenCalled();
    expect(ports.keychain.wrap).not.toHaveBeenCalled();
    expect(ports.dialogs.chooseFolder).not.toHaveBeenCalled();
  });

  it('tells core when the OS locks the screen', async () => {
    const { core, scripted } = start({ far: {} });
    core.notifyScreenLocked();
    await vi.waitFor(() => expect(scripted[0]!.notes).toEqual([[notifications.screenLocked, null]]));
  });

  it('restarts core after an unexpected exit and keeps answering', async () => {
    const { core, children, log } = start();
    await expect(core.invoke('app:ping', { message: 'before' })).resolves.toMatchObject({ ok: true });
    children[0]!.emit('exit', 1);
    expect(core.launches).toBe(2);
    await expect(core.invoke('app:ping', { message: 'after' })).resolves.toMatchObject({ ok: true, value: { message: 'after' } });
    expect(log).toHaveBeenCalledWith('main', expect.objectContaining({ level: 'error', fields: expect.objectContaining({ code: 1 }) }));
  });

  it('answers a request in flight when core dies with transport_unavailable', async () => {
    const { core, children } = start({ far: { [coreMethods.invoke]: () => new Promise(() => undefined) } });
    const pending = core.invoke('app:ping', { message: 'hello' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    children[0]!.emit('exit', 9);
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'transport_unavailable' } });
  });

  it('gives up after three crashes within a minute and says so once', async () => {
    let clock = 1_000_000;
    const { core, children, onGiveUp } = start({ now: () => clock });
    children[0]!.emit('exit', 1);
    clock += 10_000;
    children[1]!.emit('exit', 1);
    expect(onGiveUp).not.toHaveBeenCalled();
    clock += 10_000;
    children[2]!.emit('exit', 1);
    expect(onGiveUp).toHaveBeenCalledOnce();
    expect(core.launches).toBe(3);
    await expect(core.invoke('app:ping', { message: 'hello' })).resolves.toMatchObject({ ok: false, error: { code: 'transport_unavailable' } });
  });

  it('keeps restarting when crashes are more than a minute apart', () => {
    let clock = 1_000_000;
    const { core, children, onGiveUp } = start({ now: () => clock });
    for (let i = 0; i < 5; i++) {
      children[i]!.emit('exit', 1);
      clock += 31_000;
    }
    expect(onGiveUp).not.toHaveBeenCalled();
    expect(core.launches).toBe(6);
  });

  it('stops core cleanly, and an exit after stop is not a crash', async () => {
    const close = vi.fn(() => undefined);
    const { core, children, onGiveUp } = start({ far: { [coreMethods.close]: close } });
    await core.stop();
    expect(close).toHaveBeenCalledOnce();
    expect(children[0]!.killed).toBe(true);
    children[0]!.emit('exit', 0);
    expect(core.launches).toBe(1);
    expect(onGiveUp).not.toHaveBeenCalled();
  });

  it('kills a core that does not close in time', async () => {
    const { core, children } = start({ far: { [coreMethods.close]: () => new Promise(() => undefined) }, stopTimeoutMs: 20 });
    await core.stop();
    expect(children[0]!.killed).toBe(true);
  });
});

describe('createUtilityLauncher', () => {
  it('forks core.js as "Frontdesk core" and posts init with the second port', () => {
    const child = { postMessage: vi.fn(), on: vi.fn(), kill: vi.fn() };
    const fork = vi.fn(() => child);
    class Channel {
      port1 = { name: 'port1' };
      port2 = { name: 'port2' };
    }
    const launch = createUtilityLauncher({
      utilityProcess: { fork } as never,
      MessageChannelMain: Channel as never,
      entryPath: '/app/dist-electron/core.js',
      init,
    });
    const launched = launch();
    expect(fork).toHaveBeenCalledExactlyOnceWith('/app/dist-electron/core.js', [], { serviceName: 'Frontdesk core' });
    expect(child.postMessage).toHaveBeenCalledExactlyOnceWith({ type: 'init', init }, [{ name: 'port2' }]);
    expect(launched.port).toEqual({ name: 'port1' });
    expect(launched.child).toBe(child);
  });
});

describe('createMainMethodHandlers', () => {
  it('serves exactly the methods core calls', () => {
    expect(Object.keys(createMainMethodHandlers(memoryPorts())).sort()).toEqual(Object.values(mainMethods).sort());
  });
});
