// Typed fan-out of the contract's events from the core's services to every connected transport.
import type { EventMessage, EventName, EventPayload } from '../shared/index.ts';

export type EventListener = (message: EventMessage) => void;

export class EventBus {
  readonly #listeners = new Set<EventListener>();

  emit<Name extends EventName>(event: Name, payload: EventPayload<Name>): void {
    const message = { event, payload } as EventMessage;
    for (const listener of this.#listeners) {
      try {
        listener(message);
      } catch {
        // A broken subscriber (a closed socket) must not stop the others from hearing the event.
      }
    }
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get size(): number {
    return this.#listeners.size;
  }
}
