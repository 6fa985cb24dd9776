// The only bridge between the page and the rest of the app: `window.plantdesk` with `call` and `on`,
// checked against the contract's bridge type. Nothing else of Electron or Node reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
// Imported from the bridge module alone: a sandboxed preload can require nothing but 'electron'.
import { CallFailedError, IPC_CHANNELS, type CallResult, type PlantDeskBridge } from '../shared/contract/bridge.ts';
import type { EventMessage } from '../shared/contract/events.ts';

const bridge = {
  async call(name, input) {
    const locale = document.documentElement.lang || navigator.language;
    const result = (await ipcRenderer.invoke(IPC_CHANNELS.call, name, input, locale)) as CallResult;
    if (!result.ok) throw new CallFailedError(result.error);
    return result.value as never;
  },
  on(event, listener) {
    const handler = (_event: IpcRendererEvent, message: EventMessage) => {
      if (message.event === event) listener(message.payload as never);
    };
    ipcRenderer.on(IPC_CHANNELS.event, handler);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNELS.event, handler);
    };
  },
} satisfies PlantDeskBridge;

contextBridge.exposeInMainWorld('plantdesk', bridge);
