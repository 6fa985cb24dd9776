// `npm run bench`: runs every benchmark in bench/*.bench.ts (or those named on the command line) and
// prints its figures beside their targets and references. Benchmarks measure; tests check behaviour.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** What the figure should reach, as a sentence fragment ("≤ 5 s"). */
  target?: string;
  /** A reference measured in the same run, for comparison. */
  reference?: string;
}

export interface Benchmark {
  title: string;
  run(): Promise<Figure[]>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = fs
  .readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.startsWith(name)))
  .sort();

const format = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2));

let failures = 0;
for (const file of files) {
  const { benchmark } = (await import(pathToFileURL(path.join(here, file)).href)) as { benchmark: Benchmark };
  console.log(`\n## ${benchmark.title}`);
  try {
    for (const figure of await benchmark.run()) {
      const extras = [figure.target && `target ${figure.target}`, figure.reference && `reference ${figure.reference}`].filter(Boolean);
      console.log(`  ${figure.name.padEnd(52)} ${format(figure.value).padStart(10)} ${figure.unit.padEnd(8)} ${extras.join('; ')}`);
    }
  } catch (error) {
    failures++;
    console.log(`  could not run: ${(error as Error).message}`);
  }
}
process.exitCode = failures === 0 ? 0 : 1;
