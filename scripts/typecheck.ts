// Type-checks each layer with its own tsconfig (shared: no DOM, no Node; core, electron and cloud: Node;
// renderer: DOM; e2e and benchmarks: Node plus the DOM of the pages they drive), so a layer cannot lean on an environment it will not have.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const configs = ['tsconfig.shared.json', 'tsconfig.core.json', 'tsconfig.electron.json', 'tsconfig.renderer.json', 'tsconfig.e2e.json', 'tsconfig.cloud.json'];
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let failed = 0;
for (const config of configs) {
  const result = spawnSync(process.execPath, [tsc, '-p', config], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.error(`Type errors in ${config}.`);
  }
}
console.log(failed === 0 ? `Types check in all ${configs.length} layers.` : `${failed} layer(s) have type errors.`);
process.exitCode = failed === 0 ? 0 : 1;
