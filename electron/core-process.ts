// Entry of the Electron utility process that runs the core, so polling and SQLite writes never block
// the window. Talks to the main process only through process.parentPort.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError, pickLocale, translate } from '../shared/index.ts';
import { createCore } from '../core/index.ts';
import { KeychainSecretStore } from '../core/cloud/secret-store.ts';
import { createNodeHost } from '../core/hosts/node-host.ts';
import type { FromCore, ToCore } from './core-messages.ts';
import { SafeStorageRequester } from './safe-storage-secrets.ts';

interface ParentPort {
  postMessage(message: FromCore): void;
  on(event: 'message', listener: (event: { data: ToCore }) => void): void;
}

/** Starts the core and serves the main process's calls; the bundle's entry (CommonJS: no top-level await). */
async function serveCore(parentPort: ParentPort): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { 'data-dir': { type: 'string' }, lang: { type: 'string' }, secrets: { type: 'string' } },
    strict: false,
  });
  const dataDir = String(values['data-dir']);
  const locale = pickLocale(typeof values.lang === 'string' ? values.lang : undefined);
  try {
    const host = createNodeHost(dataDir, 'electron');
    if (values.secrets === 'os-keychain') {
      // The main process seals secrets with safeStorage; its answers may come while the core starts.
      const keychain = new SafeStorageRequester((request) => parentPort.postMessage(request));
      parentPort.on('message', ({ data }) => {
        if (data.type === 'secretResult') keychain.receive(data);
      });
      host.secrets = new KeychainSecretStore(dataDir, keychain);
    }
    // The writer thread is bundled beside this file (scripts/build.ts).
    const historianWriterScript = pathToFileURL(path.join(__dirname, 'historian-writer.cjs'));
    const core = await createCore({ host, locale, historianWriterScript });
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
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('core-process runs only as an Electron utility process');
void serveCore(parentPort);
