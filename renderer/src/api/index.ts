// The renderer's one way to the core. Chosen once at start: the Electron preload's `window.plantdesk`
// when it is there, else HTTP and a WebSocket to the host that served the page.
import type { PlantDeskBridge } from '../../../shared/contract/bridge.ts';
import { i18n } from '../i18n.ts';
import { alwaysOpen, type LiveConnection } from './connection.ts';
import { createWebTransport } from './web-transport.ts';

export type { ConnectionState, LiveConnection } from './connection.ts';

function chooseTransport(): { bridge: PlantDeskBridge; connection: LiveConnection } {
  if (window.plantdesk) return { bridge: window.plantdesk, connection: alwaysOpen };
  return createWebTransport({ location: window.location, language: () => i18n.language });
}

const transport = chooseTransport();

export const bridge: PlantDeskBridge = transport.bridge;
export const connection: LiveConnection = transport.connection;
