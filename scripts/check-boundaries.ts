// Who may import whom (DESIGN.md): shared imports nothing of ours and neither Node nor the DOM;
// core imports shared and never 'electron'; renderer imports shared only; electron imports core and
// shared; cloud imports shared only, and nothing imports cloud except tests (a sync test runs the real
// platform); nothing imports e2e. Run in `npm test`; exits 1 on a violation.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const LAYERS = ['shared', 'core', 'renderer', 'electron', 'cloud', 'e2e', 'scripts', 'bench', 'build'] as const;
type Layer = (typeof LAYERS)[number];

/** Our layers each layer may import (besides itself). */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  shared: [],
  core: ['shared'],
  renderer: ['shared'],
  electron: ['core', 'shared'],
  cloud: ['shared'],
  e2e: ['core', 'shared', 'scripts', 'bench'],
  scripts: ['core', 'shared'],
  bench: ['core', 'shared', 'scripts'],
  build: [],
};

/** Packages a layer must not import, with the reason printed on a violation. */
const FORBIDDEN_PACKAGES: Partial<Record<Layer, { test: (specifier: string) => boolean; why: string }[]>> = {
  shared: [
    { test: (s) => s.startsWith('node:') || s === 'electron', why: 'shared must run anywhere: no Node built-ins, no Electron' },
    { test: (s) => !s.startsWith('.') && !s.startsWith('node:') && s !== 'zod' && s !== 'jsep', why: 'shared depends on zod and jsep (the formula parser) only' },
  ],
  core: [{ test: (s) => s === 'electron' || s.startsWith('electron/'), why: "core never imports 'electron'" }],
  renderer: [
    { test: (s) => s.startsWith('node:') || s === 'electron', why: 'the renderer runs in a sandboxed page: no Node, no Electron' },
  ],
  cloud: [{ test: (s) => s === 'electron', why: "the cloud platform never imports 'electron'" }],
};

export interface SourceFile {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  source: string;
}

export interface Violation {
  file: string;
  line: number;
  specifier: string;
  why: string;
}

const IMPORT_PATTERN =
  /(?:^|[^.\w])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|;)\s*import\s*['"]([^'"]+)['"]|(?:^|[^.\w])(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Build configuration runs in Node at build time, not in the layer it configures. */
const isToolConfig = (file: string) => /(^|\/)(vite|vitest|playwright)\.config\.ts$/.test(file);

/** Layers whose tests may import them though the layer's shipped code may not: the cloud platform. */
const TEST_ONLY_IMPORTS: readonly Layer[] = ['cloud'];

function layerOf(file: string): Layer | undefined {
  const top = file.split('/')[0] as Layer;
  return LAYERS.includes(top) ? top : undefined;
}

/** Every import in a file that breaks the layer rules. */
export function findViolations(files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const layer = layerOf(file.path);
    if (!layer || isToolConfig(file.path)) continue;
    const isTest = /\.test\.tsx?$/.test(file.path);
    const lines = file.source.split('\n');
    lines.forEach((text, index) => {
      for (const match of text.matchAll(IMPORT_PATTERN)) {
        const specifier = match[1] ?? match[2] ?? match[3];
        if (!specifier) continue;
        const report = (why: string) => violations.push({ file: file.path, line: index + 1, specifier, why });
        if (specifier.startsWith('.')) {
          const target = path.posix.normalize(path.posix.join(path.posix.dirname(file.path), specifier));
          const targetLayer = layerOf(target);
          if (!targetLayer || targetLayer === layer) continue;
          const testMayImport = (isTest || layer === 'e2e') && TEST_ONLY_IMPORTS.includes(targetLayer);
          if (!MAY_IMPORT[layer].includes(targetLayer) && !testMayImport) report(`${layer} may not import ${targetLayer}`);
        } else if (!isTest) {
          // Tests run under Node with their own tools; the package rules are for shipped code.
          for (const rule of FORBIDDEN_PACKAGES[layer] ?? []) if (rule.test(specifier)) report(rule.why);
        }
      }
    });
  }
  return violations;
}

export function readSourceFiles(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist') visit(relative);
      } else if (/\.(ts|tsx|mts|cts)$/.test(entry.name)) {
        files.push({ path: relative, source: fs.readFileSync(path.join(root, relative), 'utf8') });
      }
    }
  };
  for (const layer of LAYERS) if (fs.existsSync(path.join(root, layer))) visit(layer);
  return files;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const files = readSourceFiles(root);
  const violations = findViolations(files);
  for (const v of violations) console.error(`${v.file}:${v.line} imports '${v.specifier}': ${v.why}`);
  console.log(violations.length === 0 ? `Layer boundaries hold (${files.length} files checked).` : `${violations.length} boundary violation(s).`);
  process.exitCode = violations.length === 0 ? 0 : 1;
}
