// `npm run serve`: the core and the UI in a browser at http://127.0.0.1:<port>.
// Flags: --port, --host, --data-dir, --no-demo, --token, --lang.
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { AppError, pickLocale, translate } from '../../shared/index.ts';
import { createCore } from '../index.ts';
import { createNodeHost, defaultDataDir } from '../hosts/node-host.ts';
import { createWebHost } from './web-host.ts';
import { isPortFree } from '../net.ts';

export const DEFAULT_PORT = 8470;

const USAGE = `Usage: npm run serve -- [options]
  --port <n>        port to listen on (default ${DEFAULT_PORT}; a free one if that is taken)
  --host <address>  address to bind (default 127.0.0.1; any other address requires a token)
  --data-dir <dir>  data folder (default ${defaultDataDir()})
  --no-demo         do not start the demo plant
  --token <secret>  access token for tablets on the plant LAN (generated if binding beyond this PC)
  --lang <zh-CN|en> language of names created at first start (default: the system's)
  --help            this text`;

export interface ServeOptions {
  port: number;
  portGiven: boolean;
  host: string;
  dataDir: string;
  demo: boolean;
  token: string | undefined;
  lang: string | undefined;
}

/** Parses the command line; throws an Error whose message is the sentence to print. */
export function parseServeArgs(argv: readonly string[]): ServeOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      'no-demo': { type: 'boolean', default: false },
      token: { type: 'string' },
      lang: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535, not "${values.port}".`);
  }
  return {
    port,
    portGiven: values.port !== undefined,
    host: values.host,
    dataDir: values['data-dir'] ?? defaultDataDir(),
    demo: !values['no-demo'],
    token: values.token,
    lang: values.lang,
  };
}

const isLoopbackHost = (host: string) => host === '127.0.0.1' || host === 'localhost' || host === '::1';

/** Starts core and web host; returns the URL and a function that stops both. */
export async function serve(options: ServeOptions, staticDir: string | undefined) {
  let port = options.port;
  if (port !== 0 && !(await isPortFree(port, options.host))) {
    if (options.portGiven) {
      throw new Error(`Port ${port} on ${options.host} is already in use (is PlantDesk already running?). Choose another with --port.`);
    }
    port = 0;
  }
  const token = isLoopbackHost(options.host) ? options.token : (options.token ?? randomBytes(18).toString('base64url'));
  const host = createNodeHost(options.dataDir, 'web');
  const locale = pickLocale(options.lang ?? Intl.DateTimeFormat().resolvedOptions().locale);
  const core = await createCore({ host, demo: options.demo, locale });
  try {
    const app = await createWebHost({ core, logger: host.logger, staticDir, token });
    await app.listen({ port, host: options.host });
    const address = app.server.address() as net.AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${shownHost}:${address.port}`;
    return {
      url,
      port: address.port,
      token,
      dataDir: options.dataDir,
      async stop() {
        await app.close();
        await core.close();
      },
    };
  } catch (error) {
    await core.close();
    throw error;
  }
}

/** The command: prints where the app is, and stops cleanly on Ctrl+C. */
export async function runServe(argv: readonly string[], staticDir: string | undefined): Promise<void> {
  let options: ServeOptions | 'help';
  try {
    options = parseServeArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  try {
    const started = await serve(options, staticDir);
    const tokenNote = started.token ? `\nTablets on the plant LAN: ${started.url}/?token=${started.token}` : '';
    process.stdout.write(
      `PlantDesk is running at ${started.url}\nData folder: ${started.dataDir}${options.demo ? ' (demo plant on)' : ''}${tokenNote}\nPress Ctrl+C to stop.\n`,
    );
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      void started.stop().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (error) {
    const locale = pickLocale(options.lang ?? Intl.DateTimeFormat().resolvedOptions().locale);
    const message = error instanceof AppError ? translate(locale, error.key, error.params) : (error as Error).message;
    process.stderr.write(`PlantDesk could not start: ${message}\n`);
    process.exitCode = 1;
  }
}
