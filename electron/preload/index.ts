/**
 * The preload: exposes `window.frontdesk` (one function per contract channel, plus `on`) and nothing else.
 * Runs sandboxed, so it is bundled to one CommonJS file that requires only 'electron'.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildFrontdeskApi } from '../../shared/ipc/api';
import { createIpcTransport } from './ipc-transport';

contextBridge.exposeInMainWorld('frontdesk', buildFrontdeskApi(createIpcTransport(ipcRenderer)));
