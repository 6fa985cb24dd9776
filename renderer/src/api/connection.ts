// The state of the live link to the core, as the header shows it. The web transport reports its
// WebSocket; in Electron the link is IPC inside one app and is always open.

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface LiveConnection {
  state(): ConnectionState;
  /** Calls `listener` at every change of state; returns the function that unsubscribes. */
  subscribe(listener: (state: ConnectionState) => void): () => void;
}

/** A connection that is always open: the Electron preload's IPC. */
export const alwaysOpen: LiveConnection = {
  state: () => 'open',
  subscribe: () => () => {},
};

/** A small observable holder for a connection state. */
export function connectionState(initial: ConnectionState): LiveConnection & { set(state: ConnectionState): void } {
  let current = initial;
  const listeners = new Set<(state: ConnectionState) => void>();
  return {
    state: () => current,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(state) {
      if (state === current) return;
      current = state;
      for (const listener of [...listeners]) listener(state);
    },
  };
}
