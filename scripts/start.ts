// `npm start`: builds what is stale and opens the desktop app. Electron downloads its binary on first
// start; where that cannot happen (no internet), this says so in one sentence and points to the web host.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { buildElectron, buildRenderer, ROOT } from './build.ts';

const require = createRequire(import.meta.url);
const NO_ELECTRON =
  'The Electron desktop shell could not be downloaded (this computer seems to have no internet access); ' +
  'run `npm run serve` to use PlantDesk in your browser instead.';

/** The Electron binary's path, downloading it first if needed; undefined when it cannot be had. */
export function electronBinary(): string | undefined {
  let packageDir: string;
  try {
    packageDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = path.join(packageDir, 'path.txt');
  const installed = () => fs.existsSync(pathFile) && fs.existsSync(path.join(packageDir, 'dist', fs.readFileSync(pathFile, 'utf8')));
  if (!installed()) {
    console.log('Downloading the Electron desktop shell (first start only, about 100 MB)…');
    const download = spawnSync(process.execPath, [path.join(packageDir, 'install.js')], { encoding: 'utf8', timeout: 10 * 60_000 });
    if (!installed()) {
      const reason = `${download.stderr ?? ''}${download.stdout ?? ''}`.match(/(\w*Error): ([^\n]+)/)?.[2]?.trim();
      if (reason) console.error(`(The download failed: ${reason}.)`);
    }
  }
  return installed() ? path.join(packageDir, 'dist', fs.readFileSync(pathFile, 'utf8')) : undefined;
}

await buildRenderer();
await buildElectron();
const binary = electronBinary();
if (!binary) {
  console.error(NO_ELECTRON);
  process.exitCode = 1;
} else {
  const child = spawn(binary, [ROOT, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
