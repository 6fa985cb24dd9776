// The main process's side of the core's utility process: numbers each call, matches the answer to it,
// and fails calls in plain words when the core is down or too slow. Knows nothing of Electron: the
// port is injected, so it is tested with a fake one.
import { AppError, type CallResult, type EventMessage, type Locale } from '../shared/index.ts';
import type { FromCore, ToCore } from './core-messages.ts';

export interface CorePort {
  postMessage(message: ToCore): void;
}

interface Pending {
  resolve: (result: CallResult) => void;
  timer: NodeJS.Timeout;
  name: string;
  locale: Locale;
}

export class CoreClient {
  #port: CorePort | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  readonly #waitingForCore: ((port: CorePort) => void)[] = [];
  readonly #onEvent: (message: EventMessage) => void;
  readonly #timeoutMs: number;

  constructor(onEvent: (message: EventMessage) => void, timeoutMs = 30_000) {
    this.#onEvent = onEvent;
    this.#timeoutMs = timeoutMs;
  }

  /** Attaches a (re)started core process; calls that waited for one go out now. */
  attach(port: CorePort | undefined): void {
    this.#port = port;
    if (!port) return;
    for (const send of this.#waitingForCore.splice(0)) send(port);
  }

  /**
   * Sends a call to the core. While no core is attached (it is starting: the window loads faster
   * than the core opens its database, or restarting after a crash) the call waits for it, up to the
   * timeout, instead of failing the page's first requests.
   */
  call(name: string, input: unknown, locale: Locale): Promise<CallResult> {
    const port = this.#port;
    if (port) return this.#send(port, name, input, locale);
    return new Promise((resolve) => {
      const send = (attached: CorePort) => {
        clearTimeout(timer);
        void this.#send(attached, name, input, locale).then(resolve);
      };
      const timer = setTimeout(() => {
        this.#waitingForCore.splice(this.#waitingForCore.indexOf(send), 1);
        resolve(failure('unavailable', 'error.coreUnavailable', {}, locale));
      }, this.#timeoutMs);
      this.#waitingForCore.push(send);
    });
  }

  #send(port: CorePort, name: string, input: unknown, locale: Locale): Promise<CallResult> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve(failure('timeout', 'error.requestTimeout', { call: name }, locale));
      }, this.#timeoutMs);
      this.#pending.set(id, { resolve, timer, name, locale });
      port.postMessage({ type: 'call', id, name, input, locale });
    });
  }

  /** Handles one message from the core process. */
  receive(message: FromCore): void {
    if (message.type === 'event') {
      this.#onEvent(message.message);
    } else if (message.type === 'result') {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      clearTimeout(pending.timer);
      this.#pending.delete(message.id);
      pending.resolve(message.result);
    }
  }

  /** The core process died: every call it had is answered with a sentence, not left hanging. */
  failAll(): void {
    this.#port = undefined;
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      this.#pending.delete(id);
      pending.resolve(failure('unavailable', 'error.coreUnavailable', {}, pending.locale));
    }
  }

  get pendingCount(): number {
    return this.#pending.size;
  }
}

function failure(
  code: 'unavailable' | 'timeout',
  key: 'error.coreUnavailable' | 'error.requestTimeout',
  params: Record<string, string>,
  locale: Locale,
): CallResult {
  return { ok: false, error: new AppError(code, key, { params }).toBody(locale) };
}

/** Back-off before restarting a core process that died: 1 s doubling to 30 s. */
export function restartDelayMs(consecutiveFailures: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, consecutiveFailures - 1));
}
