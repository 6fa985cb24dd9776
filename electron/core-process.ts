// Entry of the Electron utility process that runs the core, so polling and SQLite writes never block
// the window. Talks to the main process only through process.parentPort.
import { parseArgs } from 'node:util';
import { AppError, pickLocale, translate } from '../shared/index.ts';
import { createCore } from '../core/index.ts';
import { createNodeHost } from '../core/hosts/node-host.ts';
import type { FromCore, ToCore } from './core-messages.ts';

interface ParentPort {
  postMessage(message: FromCore): void;
  on(event: 'message', listener: (event: { data: ToCore }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('core-process.ts runs only as an Electron utility process');

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { 'data-dir': { type: 'string' }, lang: { type: 'string' } },
  strict: false,
});
const dataDir = String(values['data-dir']);
const locale = pickLocale(typeof values.lang === 'string' ? values.lang : undefined);

try {
  const host = createNodeHost(dataDir, 'electron');
  const core = await createCore({ host, locale, historianWriterScript: new URL('./historian-writer.mjs', import.meta.url) });
  core.events.subscribe((message) => parentPort.postMessage({ type: 'event', message }));
  parentPort.on('message', ({ data }) => {
    if (data.type === 'call') {
      void core.dispatch(data.name, data.input, { role: 'admin', locale: data.locale, actor: 'desktop app' }).then((result) =>
        parentPort.postMessage({ type: 'result', id: data.id, result }),
      );
    } else if (data.type === 'stop') {
      void core.close().then(() => process.exit(0));
    }
  });
  parentPort.postMessage({ type: 'ready' });
} catch (error) {
  const message = error instanceof AppError ? translate(locale, error.key, error.params) : String(error);
  parentPort.postMessage({ type: 'fatal', message });
  process.exit(1);
}
