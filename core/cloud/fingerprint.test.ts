// The fingerprint: stable on one PC, different when a part changes, and a licence bound to another
// PC's fingerprint is not this PC's even with the same machine id and key (a copied identity).
import { describe, expect, it } from 'vitest';
import { MachineFingerprintSchema } from '../../shared/cloud/index.ts';
import { isThisMachine } from '../licensing/licence-state.ts';
import { fingerprintOf, parseMacPlatformUuid, parseWindowsMachineGuid, physicalMacAddresses, readMachineFacts, type MachineFacts } from './fingerprint.ts';

const officePc: MachineFacts = {
  osInstallationId: '4c4c4544004d3610804bb4c04f563532',
  cpuModel: 'Intel(R) Core(TM) i5-10400 CPU @ 2.90GHz',
  cpuCount: 12,
  totalMemory: 16 * 1024 ** 3 - 300 * 1024 ** 2,
  macAddresses: ['b4:2e:99:10:20:30'],
  hostname: 'plant-office',
  platform: 'win32',
  arch: 'x64',
};

describe('machine fingerprint', () => {
  it('is the same at every reading of this PC, in the shape the cloud expects, and holds no raw id', async () => {
    const first = fingerprintOf(await readMachineFacts());
    const second = fingerprintOf(await readMachineFacts());
    expect(second).toEqual(first);
    expect(MachineFingerprintSchema.parse(first)).toEqual(first);
    expect(Object.keys(first.components).sort()).toEqual(['cpu', 'host', 'memory', 'nic', 'os-install', 'platform']);
    const facts = await readMachineFacts();
    const text = JSON.stringify(first);
    if (facts.osInstallationId) expect(text).not.toContain(facts.osInstallationId);
    expect(text).not.toContain(facts.hostname);
  });

  it('changes the one component (and the hash) when a part changes; rounding hides a few MB of memory', () => {
    const base = fingerprintOf(officePc);
    const newCard = fingerprintOf({ ...officePc, macAddresses: ['b4:2e:99:99:99:99'] });
    expect(newCard.hash).not.toBe(base.hash);
    const changed = Object.keys(base.components).filter((name) => base.components[name] !== newCard.components[name]);
    expect(changed).toEqual(['nic']);
    expect(fingerprintOf({ ...officePc, totalMemory: officePc.totalMemory + 50 * 1024 ** 2 }).hash).toBe(base.hash);
    expect(fingerprintOf({ ...officePc, macAddresses: [...officePc.macAddresses].reverse() }).hash).toBe(base.hash);
    expect(fingerprintOf({ ...officePc, osInstallationId: '0'.repeat(32) }).components['os-install']).not.toBe(base.components['os-install']);
  });

  it('detects a copied identity: same id and key, another PC', () => {
    const licensed = { id: 'mch_0123456789abcdef', publicKey: 'A'.repeat(43), fingerprint: fingerprintOf(officePc) };
    const here = { ...licensed, fingerprint: fingerprintOf(officePc) };
    expect(isThisMachine(licensed, here)).toBe(true);
    // A new network card: still this PC (most parts match).
    expect(isThisMachine(licensed, { ...here, fingerprint: fingerprintOf({ ...officePc, macAddresses: ['b4:2e:99:99:99:99'] }) })).toBe(true);
    const otherPc = fingerprintOf({ ...officePc, osInstallationId: 'f'.repeat(32), cpuModel: 'AMD Ryzen 5 5600G', cpuCount: 6, totalMemory: 8 * 1024 ** 3, macAddresses: ['00:1b:21:aa:bb:cc'], hostname: 'line-2' });
    expect(isThisMachine(licensed, { ...here, fingerprint: otherPc })).toBe(false);
  });

  it('keeps only physical network cards', () => {
    const iface = (mac: string, internal = false) => [{ address: '10.0.0.2', netmask: '255.0.0.0', family: 'IPv4' as const, mac, internal, cidr: null }];
    const macs = physicalMacAddresses({
      lo: iface('00:00:00:00:00:00', true),
      eth0: iface('B4:2E:99:10:20:30'),
      enp3s0: iface('00:1b:21:aa:bb:cc'),
      docker0: iface('02:42:ac:11:00:02'),
      'vEthernet (WSL)': iface('00:15:5d:01:02:03'),
      wlan0: iface('06:aa:bb:cc:dd:ee'), // locally administered: a made-up (randomised) address
      eth1: iface('b4:2e:99:10:20:30'),
    });
    expect(macs).toEqual(['00:1b:21:aa:bb:cc', 'b4:2e:99:10:20:30']);
  });

  it('reads the Windows MachineGuid and the Mac platform UUID from their tools', () => {
    const reg = '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\r\n    MachineGuid    REG_SZ    6F9619FF-8B86-D011-B42D-00C04FC964FF\r\n\r\n';
    expect(parseWindowsMachineGuid(reg)).toBe('6f9619ff-8b86-d011-b42d-00c04fc964ff');
    expect(parseWindowsMachineGuid('ERROR: The system was unable to find the specified registry key or value.')).toBe('');
    const ioreg = '+-o J314sAP  <class IOPlatformExpertDevice>\n    "IOPlatformUUID" = "A1B2C3D4-1111-2222-3333-444455556666"\n';
    expect(parseMacPlatformUuid(ioreg)).toBe('A1B2C3D4-1111-2222-3333-444455556666');
    expect(parseMacPlatformUuid('')).toBe('');
  });
});
