// The bridge in a browser (web host, LAN tablets): calls are `POST /api/<name>`, events arrive over a
// WebSocket at /api/events that reconnects with back-off for as long as the page is open.
import { CallFailedError, type PlantDeskBridge } from '../../../shared/contract/bridge.ts';
import type { EventMessage, EventName } from '../../../shared/contract/events.ts';
import { pickLocale, translate } from '../../../shared/i18n/index.ts';
import { connectionState, type LiveConnection } from './connection.ts';
import { buildCallRequest, errorBodyOf, eventsUrl, reconnectDelay, tokenFromSearch } from './web-requests.ts';

/** How long a call may take before the UI gives up on it. */
const CALL_TIMEOUT_MS = 30_000;

export interface WebTransportOptions {
  location: { protocol: string; host: string; search: string };
  /** The current UI language, sent as Accept-Language so errors come back in it. */
  language: () => string;
}

export interface WebTransport {
  bridge: PlantDeskBridge;
  connection: LiveConnection;
}

type Listener = (payload: unknown) => void;

/** Creates the web bridge and opens its event stream. */
export function createWebTransport(options: WebTransportOptions): WebTransport {
  const token = tokenFromSearch(options.location.search);
  const listeners = new Map<EventName, Set<Listener>>();
  const connection = connectionState('connecting');

  const localized = (key: 'error.coreUnavailable' | 'error.requestTimeout', call: string) =>
    translate(pickLocale(options.language()), key, { call });

  async function call(name: string, input: unknown): Promise<unknown> {
    const request = buildCallRequest(name, input, { language: options.language(), token });
    let response: Response;
    try {
      response = await fetch(request.url, { ...request.init, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new CallFailedError(
        timedOut
          ? { code: 'timeout', message: localized('error.requestTimeout', name) }
          : { code: 'unavailable', message: localized('error.coreUnavailable', name) },
      );
    }
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      body = null;
    }
    if (!response.ok) {
      throw new CallFailedError(errorBodyOf(response.status, body, localized('error.coreUnavailable', name)));
    }
    return body;
  }

  function dispatch(message: EventMessage): void {
    for (const listener of [...(listeners.get(message.event) ?? [])]) {
      try {
        listener(message.payload);
      } catch (error) {
        console.error(`A listener of ${message.event} failed`, error);
      }
    }
  }

  let attempt = 0;
  let everOpened = false;
  const openEvents = (): void => {
    const socket = new WebSocket(eventsUrl(options.location, token));
    socket.onopen = () => {
      attempt = 0;
      everOpened = true;
      connection.set('open');
    };
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      let message: EventMessage;
      try {
        message = JSON.parse(event.data) as EventMessage;
      } catch {
        return;
      }
      if (message && typeof message.event === 'string') dispatch(message);
    };
    socket.onclose = () => {
      // Before the first open, a couple of failed attempts are still "connecting", not "lost".
      connection.set(everOpened || attempt >= 2 ? 'closed' : 'connecting');
      setTimeout(openEvents, reconnectDelay(attempt));
      attempt += 1;
    };
  };
  openEvents();

  const bridge: PlantDeskBridge = {
    call: (name, input) => call(name, input) as never,
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as Listener);
      return () => {
        set.delete(listener as Listener);
      };
    },
  };
  return { bridge, connection };
}
