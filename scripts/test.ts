// `npm test`: every check CI runs, in order — types per layer, layer boundaries, unit and integration
// tests (vitest), the build, and end-to-end tests in Chromium (Playwright) — then one closing count.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'test-results');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

interface Stage {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** Reads passed/failed/skipped counts from the stage's report, if it writes one. */
  counts?: () => { passed: number; failed: number; skipped: number } | undefined;
}

const readJson = (file: string): any => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
};

const vitestReport = path.join(results, 'vitest.json');
const playwrightReport = path.join(results, 'playwright.json');

const stages: Stage[] = [
  { name: 'types', command: process.execPath, args: ['scripts/typecheck.ts'] },
  { name: 'layer boundaries', command: process.execPath, args: ['scripts/check-boundaries.ts'] },
  {
    name: 'unit and integration tests',
    command: bin('vitest'),
    args: ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`],
    counts: () => {
      const report = readJson(vitestReport);
      return report && { passed: report.numPassedTests, failed: report.numFailedTests, skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0) };
    },
  },
  { name: 'build', command: process.execPath, args: ['scripts/build.ts'] },
  {
    name: 'end-to-end tests',
    command: bin('playwright'),
    args: ['test', '--reporter=list,json'],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport },
    counts: () => {
      const stats = readJson(playwrightReport)?.stats;
      return stats && { passed: stats.expected, failed: stats.unexpected + stats.flaky, skipped: stats.skipped };
    },
  },
];

fs.rmSync(results, { recursive: true, force: true });
fs.mkdirSync(results, { recursive: true });
let passed = 0;
let failed = 0;
let skipped = 0;
const failedStages: string[] = [];
const started = performance.now();
for (const stage of stages) {
  const stageStarted = performance.now();
  console.log(`\n=== ${stage.name} ===`);
  const run = spawnSync(stage.command, stage.args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...stage.env },
    shell: process.platform === 'win32',
  });
  const counts = stage.counts?.();
  if (counts) {
    passed += counts.passed;
    failed += counts.failed;
    skipped += counts.skipped;
  }
  const ok = run.status === 0;
  if (!ok) failedStages.push(stage.name);
  console.log(`--- ${stage.name}: ${ok ? 'ok' : 'FAILED'} in ${((performance.now() - stageStarted) / 1000).toFixed(1)} s`);
}
const minutes = ((performance.now() - started) / 60_000).toFixed(1);
if (failedStages.length > 0) console.log(`\nFailed stages: ${failedStages.join(', ')}.`);
console.log(`\nAll checks took ${minutes} min.`);
// Skipped tests are only those that say why this machine cannot run them (no user namespaces, say).
console.log(skipped > 0 ? `${passed} passed, ${failed} failed, ${skipped} skipped` : `${passed} passed, ${failed} failed`);
process.exitCode = failedStages.length === 0 ? 0 : 1;
