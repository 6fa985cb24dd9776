import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findViolations, readSourceFiles } from './check-boundaries.ts';

const file = (filePath: string, source: string) => ({ path: filePath, source });
/** An import statement assembled at run time, so this file's own lines hold none the checker would judge. */
const statement = (keyword: 'import' | 'export', names: string, specifier: string) => `${keyword} ${names} ${'fr' + 'om'} '${specifier}';`;

describe('layer boundaries', () => {
  it('holds in this repository', () => {
    expect(findViolations(readSourceFiles(path.resolve(import.meta.dirname, '..')))).toEqual([]);
  });

  it('refuses each forbidden import with the rule it breaks', () => {
    const violations = findViolations([
      file('shared/a.ts', "import fs from 'node:fs';\nimport { x } from '../core/x.ts';"),
      file('core/b.ts', "import { app } from 'electron';"),
      file('renderer/src/c.ts', "import { createCore } from '../../core/index.ts';\nconst m = await import('node:path');"),
      file('cloud/d.ts', statement('export', '{ y }', '../renderer/src/y.ts')),
      file('bench/e.ts', statement('import', '{ page }', '../e2e/pages/live-page.ts')),
      file('core/sync/f.ts', statement('import', '{ startCloud }', '../../cloud/index.ts')),
      file('cloud/g.ts', statement('import', '{ createCore }', '../core/index.ts')),
      file('cloud/h.test.ts', statement('import', '{ freePort }', '../core/net.ts')),
    ]);
    expect(violations.map((v) => `${v.file}:${v.line} ${v.specifier}`)).toEqual([
      'shared/a.ts:1 node:fs',
      'shared/a.ts:2 ../core/x.ts',
      'core/b.ts:1 electron',
      'renderer/src/c.ts:1 ../../core/index.ts',
      'renderer/src/c.ts:2 node:path',
      'cloud/d.ts:1 ../renderer/src/y.ts',
      'bench/e.ts:1 ../e2e/pages/live-page.ts',
      'core/sync/f.ts:1 ../../cloud/index.ts',
      'cloud/g.ts:1 ../core/index.ts',
      'cloud/h.test.ts:1 ../core/net.ts',
    ]);
    expect(violations[2]!.why).toMatch(/core never imports 'electron'/);
  });

  it('allows what the design allows, and does not mistake strings for imports', () => {
    expect(
      findViolations([
        file('core/a.ts', "import { z } from 'zod';\nimport { x } from '../shared/x.ts';\nconst modes = ['check', 'import', 'importGoodRows'];"),
        file('electron/b.ts', "import { createCore } from '../core/index.ts';\nimport { app } from 'electron';"),
        file('renderer/vite.config.ts', "import { fileURLToPath } from 'node:url';"),
        file('shared/c.test.ts', "import fc from 'fast-check';"),
        // Tests may run the real cloud platform; shipped code may not import it.
        file('core/sync/d.test.ts', statement('import', '{ startTestCloud }', '../../cloud/test-support.ts')),
        file('e2e/e.spec.ts', statement('import', '{ startCloud }', '../cloud/index.ts')),
        file('cloud/f.ts', statement('import', '{ canonicalJson }', '../shared/cloud/index.ts')),
      ]),
    ).toEqual([]);
  });
});
