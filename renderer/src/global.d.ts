// What the Electron preload adds to the page: the contract's bridge, and nothing else.
import type { PlantDeskBridge } from '../../shared/contract/bridge.ts';

declare global {
  interface Window {
    plantdesk?: PlantDeskBridge;
  }
}

export {};
