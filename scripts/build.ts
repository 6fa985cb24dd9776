// Builds what the hosts load: the renderer (Vite) into dist/renderer, and the Electron main process,
// preload and core process (esbuild) into dist/electron. Skips a part whose sources are older than its output.
//   node scripts/build.ts            everything that is stale
//   node scripts/build.ts --web      only the renderer (what `npm run serve` needs)
//   node scripts/build.ts --force    everything, stale or not
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (...parts: string[]) => path.join(ROOT, 'dist', ...parts);

function newestMtime(dirs: readonly string[]): number {
  let newest = 0;
  const visit = (entry: string) => {
    const stat = fs.statSync(entry, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(entry)) if (child !== 'node_modules') visit(path.join(entry, child));
    } else if (!entry.endsWith('.test.ts')) newest = Math.max(newest, stat.mtimeMs);
  };
  for (const dir of dirs) visit(path.join(ROOT, dir));
  return newest;
}

function isStale(output: string, sources: readonly string[]): boolean {
  const built = fs.statSync(output, { throwIfNoEntry: false });
  return !built || newestMtime([...sources, 'package.json']) > built.mtimeMs;
}

export async function buildRenderer(force = false): Promise<boolean> {
  const output = dist('renderer', 'index.html');
  if (!force && !isStale(output, ['renderer', 'shared'])) return false;
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

export async function buildElectron(force = false): Promise<boolean> {
  const output = dist('electron', 'main.cjs');
  if (!force && !isStale(output, ['electron', 'core', 'shared'])) return false;
  const esbuild = await import('esbuild');
  const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const external = ['electron', ...Object.keys(packageJson.dependencies)];
  const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, external, logLevel: 'warning' } as const;
  await Promise.all([
    esbuild.build({ ...common, entryPoints: [path.join(ROOT, 'electron/main.ts')], outfile: dist('electron', 'main.cjs'), format: 'cjs' }),
    esbuild.build({ ...common, entryPoints: [path.join(ROOT, 'electron/preload.ts')], outfile: dist('electron', 'preload.cjs'), format: 'cjs' }),
    // The core process and its writer thread as CommonJS: the module format utility processes and
    // worker threads have always loaded. (The core's fallback writer path uses import.meta, which a
    // CommonJS bundle leaves empty; the core process always passes the bundled path instead.)
    ...['electron/core-process.ts', 'core/historian/writer-thread.ts'].map((entry) =>
      esbuild.build({
        ...common,
        entryPoints: [path.join(ROOT, entry)],
        outfile: dist('electron', entry.endsWith('core-process.ts') ? 'core-process.cjs' : 'historian-writer.cjs'),
        format: 'cjs',
        logOverride: { 'empty-import-meta': 'silent' },
      }),
    ),
  ]);
  // A sandboxed preload can require only 'electron'; anything else breaks the window at start.
  const preload = fs.readFileSync(dist('electron', 'preload.cjs'), 'utf8');
  const required = [...preload.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]).filter((name) => name !== 'electron');
  if (required.length > 0) throw new Error(`electron/preload.ts must import nothing but 'electron' and types; it pulls in ${[...new Set(required)].join(', ')}.`);
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = new Set(process.argv.slice(2));
  const force = args.has('--force');
  const started = performance.now();
  const built = [
    (await buildRenderer(force)) ? 'renderer' : '',
    !args.has('--web') && (await buildElectron(force)) ? 'electron' : '',
  ].filter(Boolean);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(built.length ? `Built ${built.join(' and ')} in ${seconds} s.` : 'Build is up to date.');
}
