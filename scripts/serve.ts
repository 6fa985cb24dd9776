// `npm run serve`: builds the renderer if its sources changed, then runs the web host.
import path from 'node:path';
import { buildRenderer, ROOT } from './build.ts';
import { runServe } from '../core/web-host/cli.ts';

const argv = process.argv.slice(2);
if (!argv.includes('--help')) await buildRenderer();
await runServe(argv, path.join(ROOT, 'dist', 'renderer'));
