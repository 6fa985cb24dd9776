// Helpers the benchmarks share: child-process peers, CPU and memory sampling, percentiles.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

/** Starts a peer script that prints `PORT <n>`; it exits when its stdin closes. */
export async function startPeer(
  script: string,
  args: readonly string[] = [],
): Promise<{ port: number; ports: number[]; process: ChildProcess; stop: () => void }> {
  const child = spawn(process.execPath, [path.join(BENCH_DIR, script), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ports = await new Promise<number[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), 30_000);
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += String(chunk);
      const match = /PORT (\d+)\n/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve((/PORTS ([\d,]+)/.exec(output)?.[1] ?? match[1]!).split(',').map(Number));
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { port: ports[0]!, ports, process: child, stop: () => child.stdin!.end() };
}

export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

/** Measures this process's CPU time (µs) and peak resident memory while `work` runs. */
export async function measure<T>(work: () => Promise<T>): Promise<{ result: T; cpuMicros: number; wallMs: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 250);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  try {
    const result = await work();
    const cpu = process.cpuUsage(cpuBefore);
    return { result, cpuMicros: cpu.user + cpu.system, wallMs: performance.now() - started, peakRssMb: Math.max(peak, process.memoryUsage().rss) / 1024 / 1024 };
  } finally {
    clearInterval(sampler);
  }
}
