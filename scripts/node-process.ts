// Starts one of this repository's Node programs as a child process with its own data folder, waits
// until it prints the address it listens on, and stops it (SIGTERM, then SIGKILL) and removes the
// folder afterwards. The web host (serve-process.ts) and the cloud platform (cloud-process.ts) use it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export interface NodeProcess {
  /** The address the program printed. */
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

export interface NodeProcessOptions {
  /** The script and its arguments, run with this Node. */
  args: readonly string[];
  cwd: string;
  env?: Record<string, string>;
  /** Matches the line that says it is ready; its first group is the address. */
  ready: RegExp;
  /** For the messages: "serve", "the cloud". */
  name: string;
  /** Removed when the process stops. */
  dataDir: string;
}

export async function startNodeProcess(options: NodeProcessOptions): Promise<NodeProcess> {
  const child: ChildProcess = spawn(process.execPath, [...options.args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.name} did not start within 120 s:\n${output}`)), 120_000);
    const check = () => {
      const match = options.ready.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      fs.rmSync(options.dataDir, { recursive: true, force: true });
    },
  };
}
