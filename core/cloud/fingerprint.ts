// This PC's fingerprint (issue 8 item 1): what the cloud binds the machine and its licences to. Each
// component is hashed on its own (SHA-256 hex), so the cloud matches "most of them" (a new network
// card is not a new PC) and no raw hardware id leaves the PC. Nothing comes from the app or the data
// folder: the fingerprint survives reboots and app updates, but a data folder copied to another PC
// carries the old PC's fingerprint, which this one does not have.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import { canonicalJson, type MachineFingerprint } from '../../shared/cloud/index.ts';

/** The raw facts read from the PC. Kept in memory only; the OS installation id also keys the protected-file secret store. */
export interface MachineFacts {
  /** /etc/machine-id, the Windows MachineGuid or the Mac's IOPlatformUUID; '' when it cannot be read. */
  osInstallationId: string;
  cpuModel: string;
  cpuCount: number;
  /** Total memory in bytes (rounded to whole GiB in the fingerprint). */
  totalMemory: number;
  /** MAC addresses of the physical network interfaces. */
  macAddresses: string[];
  hostname: string;
  platform: string;
  arch: string;
}

const OS_ID_TIMEOUT_MS = 5_000;
const GIB = 1024 ** 3;

const sha256Hex = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** Interfaces made by software (containers, VMs, VPNs, bridges): their addresses change or are shared. */
const VIRTUAL_INTERFACE = /^(lo|docker|veth|br-|virbr|vmnet|vboxnet|vnet|tun|tap|utun|awdl|llw|bridge|zt|wg|tailscale|flannel|cni|cali|kube|gif|stf|anpi|ap\d)|vethernet|virtualbox|vmware|hyper-v|loopback|npcap|bluetooth/i;

/**
 * The MAC addresses of the physical interfaces, sorted and without duplicates. Left out: internal
 * ones, zero addresses, names of virtual interfaces, and locally administered addresses (the bit
 * software sets when it makes an address up).
 */
export function physicalMacAddresses(interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>): string[] {
  const macs = new Set<string>();
  for (const [name, addresses] of Object.entries(interfaces)) {
    if (VIRTUAL_INTERFACE.test(name)) continue;
    for (const address of addresses ?? []) {
      const mac = address.mac.toLowerCase();
      if (address.internal || !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac) || mac === '00:00:00:00:00:00') continue;
      if (parseInt(mac.slice(0, 2), 16) & 0b10) continue;
      macs.add(mac);
    }
  }
  return [...macs].sort();
}

/** The MachineGuid from `reg query HKLM\SOFTWARE\Microsoft\Cryptography /v MachineGuid`. */
export function parseWindowsMachineGuid(output: string): string {
  return /MachineGuid\s+REG_SZ\s+([0-9a-fA-F-]{8,})/.exec(output)?.[1]?.toLowerCase() ?? '';
}

/** The IOPlatformUUID from `ioreg -rd1 -c IOPlatformExpertDevice`. */
export function parseMacPlatformUuid(output: string): string {
  return /"IOPlatformUUID"\s*=\s*"([0-9A-Fa-f-]+)"/.exec(output)?.[1]?.toUpperCase() ?? '';
}

const run = (command: string, args: string[]) =>
  new Promise<string>((resolve) => {
    execFile(command, args, { timeout: OS_ID_TIMEOUT_MS, windowsHide: true }, (error, stdout) => resolve(error ? '' : String(stdout)));
  });

/** The id the operating system gave this installation; '' when there is none to read (never throws). */
export async function readOsInstallationId(platform: NodeJS.Platform = process.platform): Promise<string> {
  if (platform === 'win32') return parseWindowsMachineGuid(await run('reg', ['query', 'HKLM\\SOFTWARE\\Microsoft\\Cryptography', '/v', 'MachineGuid']));
  if (platform === 'darwin') return parseMacPlatformUuid(await run('ioreg', ['-rd1', '-c', 'IOPlatformExpertDevice']));
  for (const file of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    const id = await fs.readFile(file, 'utf8').then((text) => text.trim(), () => '');
    if (/^[0-9a-f]{32}$/i.test(id)) return id.toLowerCase();
  }
  return '';
}

/** Reads this PC's facts. */
export async function readMachineFacts(): Promise<MachineFacts> {
  const cpus = os.cpus();
  return {
    osInstallationId: await readOsInstallationId(),
    cpuModel: (cpus[0]?.model ?? '').trim().replace(/\s+/g, ' '),
    cpuCount: cpus.length,
    totalMemory: os.totalmem(),
    macAddresses: physicalMacAddresses(os.networkInterfaces()),
    hostname: os.hostname().toLowerCase(),
    platform: process.platform,
    arch: process.arch,
  };
}

/**
 * The fingerprint of some facts: each component hashed with its name (so equal texts of two
 * components never hash alike), and the hash of the canonical JSON of the components.
 * @example fingerprintOf(await readMachineFacts()).hash
 */
export function fingerprintOf(facts: MachineFacts): MachineFingerprint {
  const parts: Record<string, string> = {
    'os-install': facts.osInstallationId,
    cpu: `${facts.cpuModel}|${facts.cpuCount}`,
    memory: String(Math.max(1, Math.round(facts.totalMemory / GIB))),
    nic: [...facts.macAddresses].sort().join(','),
    host: facts.hostname,
    platform: `${facts.platform}-${facts.arch}`,
  };
  const components = Object.fromEntries(Object.entries(parts).map(([name, value]) => [name, sha256Hex(`plantdesk-fingerprint-v1:${name}:${value}`)]));
  return { hash: sha256Hex(canonicalJson(components)), components };
}

/**
 * What keys the protected-file secret store on this PC: the raw OS installation id, which never
 * leaves the PC (the fingerprint's component hashes travel in every licence kept in the data folder,
 * so they cannot be the key). Without an OS id, the other facts stand in.
 */
export function secretKeyMaterial(facts: MachineFacts): string {
  if (facts.osInstallationId) return `os:${facts.osInstallationId}`;
  return `facts:${facts.cpuModel}|${facts.cpuCount}|${facts.macAddresses.join(',')}|${facts.hostname}|${facts.platform}-${facts.arch}`;
}
