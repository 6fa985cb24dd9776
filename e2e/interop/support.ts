// Helpers for the interop tests: real Modbus peers nobody here wrote (pymodbus, socat, mbpoll) started
// as child processes with bounded lifetimes, free ports, a pty pair standing in for an RS-485 adapter,
// a core as a host runs it, and polling instead of sleeping. Every process a test starts is tracked
// here and killed by `stopAllProcesses` (call it in afterAll), even when the test failed half-way.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../core/host.ts';
import { createCore, type CallContext, type Core, type CoreOptions } from '../../core/index.ts';
import type { CallName, CallOutput, EventMessage } from '../../shared/index.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PEER_SCRIPT = path.join(ROOT, 'e2e', 'interop', 'peers', 'pymodbus_server.py');
/** Debian's python, which has pymodbus; the `python3` on PATH may be another one without it. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

// ---------------------------------------------------------------------------------------------------
// Waiting, folders, ports

import { freePort, waitFor, type Truthy } from '../../core/test-support.ts';

export { freePort, waitFor, type Truthy };

const tempDirs: string[] = [];

/** A fresh folder under the system's temp folder, removed by `stopAllProcesses`. */
export function makeTempDir(prefix = 'plantdesk-interop-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}


// ---------------------------------------------------------------------------------------------------
// Child processes

export interface Peer {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** Resolves when the process has exited (at once if it already has). */
  exited(): Promise<void>;
  readonly alive: boolean;
  /** Sends a signal (SIGSTOP/SIGCONT to freeze a peer, SIGKILL to make it vanish). */
  signal(signal: NodeJS.Signals): void;
  /** Ends it (closing stdin, then SIGTERM, then SIGKILL after a grace period) and waits for the exit. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<Peer>();
// If the test process ends without its afterAll (a crash, a forced exit), take the children with it.
process.once('exit', () => {
  for (const peer of running) {
    peer.signal('SIGTERM'); // not SIGKILL: `timeout` passes SIGTERM on to what it runs
    peer.signal('SIGCONT'); // a frozen peer acts on it once woken
  }
});

/** Spawns a tracked child process; its stdin stays open as a lifeline (a peer exits when it closes). */
export function spawnTracked(name: string, command: string, args: readonly string[]): Peer {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  child.stdin?.on('error', () => {}); // EPIPE when the child is already gone
  let isAlive = true;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      isAlive = false;
      resolve();
    });
    child.once('error', (error) => {
      output += `\n[spawn error] ${String(error)}`;
      isAlive = false;
      resolve();
    });
  });
  const peer: Peer = {
    name,
    child,
    output: () => output,
    exited: () => exit,
    get alive() {
      return isAlive;
    },
    signal(signal) {
      if (isAlive && child.pid !== undefined) child.kill(signal);
    },
    async stop(graceMs = 2000) {
      running.delete(peer);
      if (!isAlive) return;
      child.kill('SIGCONT'); // a frozen peer cannot act on SIGTERM
      child.stdin?.end();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
  running.add(peer);
  return peer;
}

/** Waits until the process prints `pattern` on stdout; fails with its output if it exits or is slow. */
export async function waitForOutput(peer: Peer, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (pattern.test(peer.output())) return finish();
      if (!peer.alive) return finish(new Error(`${peer.name} exited before printing ${pattern}:\n${peer.output()}`));
      if (Date.now() > deadline) return finish(new Error(`${peer.name} did not print ${pattern} within ${timeoutMs} ms:\n${peer.output()}`));
    };
    const onData = () => check();
    const timer = setInterval(check, 50);
    const finish = (error?: Error) => {
      clearInterval(timer);
      peer.child.stdout?.off('data', onData);
      if (error) reject(error);
      else resolve();
    };
    peer.child.stdout?.on('data', onData);
    check();
  });
}

/**
 * Runs a command to its end (asynchronously: a server in this process must keep answering it), killed
 * if it takes longer than `timeoutMs`. Resolves with its exit code and output.
 */
export async function runTracked(
  command: string,
  args: readonly string[],
  timeoutMs = 10_000,
): Promise<{ code: number | null; stdout: string; output: string }> {
  const peer = spawnTracked(command, command, args);
  peer.child.stdin?.end();
  let stdout = '';
  peer.child.stdout?.on('data', (chunk) => (stdout += String(chunk)));
  const timer = setTimeout(() => peer.signal('SIGKILL'), timeoutMs);
  await peer.exited();
  clearTimeout(timer);
  running.delete(peer);
  return { code: peer.child.exitCode, stdout, output: peer.output() };
}

/** Stops every process the tests started and removes their temporary folders. Call in afterAll. */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running].map((peer) => peer.stop()));
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------
// pymodbus

/** A register image as the peer script takes it: lists from address 0, or segments by start address. */
export type Area = number[] | Record<string, number[]>;
export interface RegisterImage {
  holding?: Area;
  input?: Area;
  coils?: Area;
  discrete?: Area;
}
/** One image for every unit id, or one image per unit id (`{ units: { '1': ..., '2': ... } }`). */
export type PeerImage = RegisterImage | { units: Record<string, RegisterImage> };

export interface PymodbusOptions {
  image: PeerImage;
  /** Folder for the image file (a test's temp folder). */
  dir: string;
  tcpPort?: number;
  /** With tcpPort: raw RTU frames over TCP (a serial gateway in transparent mode) instead of Modbus TCP. */
  rtuOverTcp?: boolean;
  rtuPath?: string;
  baud?: number;
  /** Unit ids served (others get no answer); default: every unit id answers with the one image. */
  units?: number[];
  /** Answer every request this late (a slow device, or one behind a slow gateway). */
  delayMs?: number;
  maxSeconds?: number;
  readyTimeoutMs?: number;
}

let imageCount = 0;

/** Starts pymodbus as a Modbus TCP or RTU server and waits until it says READY. */
export async function startPymodbus(options: PymodbusOptions): Promise<Peer> {
  const imagePath = path.join(options.dir, `image-${process.pid}-${++imageCount}.json`);
  fs.writeFileSync(imagePath, JSON.stringify(options.image));
  const args = [PEER_SCRIPT, '--image', imagePath, '--max-seconds', String(options.maxSeconds ?? 120)];
  if (options.tcpPort !== undefined) args.push('--tcp', String(options.tcpPort), '--framer', options.rtuOverTcp ? 'rtu' : 'socket');
  else if (options.rtuPath !== undefined) args.push('--rtu', options.rtuPath, '--baud', String(options.baud ?? 9600));
  else throw new Error('startPymodbus needs tcpPort or rtuPath');
  if (options.units) args.push('--units', options.units.join(','));
  if (options.delayMs) args.push('--delay-ms', String(options.delayMs));
  const where = options.tcpPort !== undefined ? `tcp:${options.tcpPort}` : `rtu:${options.rtuPath}`;
  const peer = spawnTracked(`pymodbus ${where}`, SYSTEM_PYTHON, args);
  try {
    await waitForOutput(peer, /^READY$/m, options.readyTimeoutMs ?? 15_000);
  } catch (error) {
    await peer.stop();
    throw error;
  }
  return peer;
}

/** A TCP port that accepts connections (e.g. a restarted peer), for waiting without sleeping. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// ---------------------------------------------------------------------------------------------------
// socat pty pair

export interface PtyPair {
  /** The two ends, as symlinks to /dev/pts/N: like the two sides of an RS-485 bus. */
  a: string;
  b: string;
  peer: Peer;
}

/** A linked pair of pseudo-terminals (`socat pty,raw,echo=0 pty,raw,echo=0`), ready when both links exist. */
export async function startPtyPair(dir: string, timeoutMs = 5000, maxSeconds = 120): Promise<PtyPair> {
  const a = path.join(dir, 'a');
  const b = path.join(dir, 'b');
  // socat does not read stdin, so a small shell holds the lifeline for it: when stdin closes (the test
  // ended, or its process died) socat is stopped and waited for; `timeout` bounds its life regardless.
  const lifeline = 'timeout "$0" socat "$@" & pid=$!; trap \'kill $pid 2>/dev/null; wait $pid\' EXIT; trap \'exit 143\' TERM INT; cat >/dev/null';
  const peer = spawnTracked('socat', 'sh', ['-c', lifeline, String(maxSeconds), '-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`]);
  try {
    await waitFor(() => {
      if (!peer.alive) throw new Error(`socat exited:\n${peer.output()}`);
      return fs.existsSync(a) && fs.existsSync(b) && /starting data transfer loop/.test(peer.output());
    }, timeoutMs, { what: 'socat pty pair' });
  } catch (error) {
    await peer.stop();
    throw new Error(`${String(error)}\n${peer.output()}`);
  }
  return { a, b, peer };
}

/**
 * modbus-serial's serial support is the optional 'serialport' package: load it the way modbus-serial
 * does (from modbus-serial's own folder), native binding included, or explain what is missing.
 */
export async function assertSerialSupport(): Promise<void> {
  const requireFromCore = createRequire(path.join(ROOT, 'package.json'));
  const requireFromModbusSerial = createRequire(requireFromCore.resolve('modbus-serial'));
  try {
    const { SerialPort } = requireFromModbusSerial('serialport') as { SerialPort: { list(): Promise<unknown[]> } };
    await SerialPort.list();
  } catch (error) {
    throw new Error(
      "modbus-serial cannot do Modbus RTU here: its optional dependency 'serialport' (with its native binding " +
        `@serialport/bindings-cpp) did not load: ${String(error)}. Install it (npm install without --no-optional, ` +
        'on a platform with a prebuilt binding or a compiler).',
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// The core

export const admin: CallContext = { role: 'admin', locale: 'en', actor: 'interop test' };

export interface TestCore {
  core: Core;
  /** Every event the core emitted since it started. */
  events: EventMessage[];
  /** A call that must succeed, typed as the contract says. */
  call<Name extends CallName>(name: Name, input: unknown): Promise<CallOutput<Name>>;
  close(): Promise<void>;
}

const cores = new Set<TestCore>();

/** A core on its own data folder, as a host runs it, with fast reconnects and checked outputs. */
export async function startCore(options: Partial<CoreOptions> = {}): Promise<TestCore> {
  const dataDir = makeTempDir('plantdesk-interop-core-');
  const core = await createCore({
    host: { kind: 'web', dataDir, logger: silentLogger },
    demo: false,
    demoFixedPorts: false,
    checkOutputs: true,
    locale: 'en',
    links: { minBackoffMs: 50, maxBackoffMs: 500 },
    ...options,
  });
  const events: EventMessage[] = [];
  const unsubscribe = core.events.subscribe((message) => events.push(message));
  let closed = false;
  const testCore: TestCore = {
    core,
    events,
    async call(name, input) {
      const result = await core.dispatch(name, input, admin);
      if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
      return result.value as CallOutput<typeof name>;
    },
    async close() {
      cores.delete(testCore);
      if (closed) return;
      closed = true;
      unsubscribe();
      await core.close();
    },
  };
  cores.add(testCore);
  return testCore;
}

/** Closes every core the tests started (call in afterAll, before stopAllProcesses). */
export async function closeAllCores(): Promise<void> {
  for (const testCore of [...cores]) await testCore.close();
}
