// The core against a Modbus TCP server nobody here wrote (pymodbus 3.0, as Debian ships it): every data
// type in every word order, coils and discrete inputs, an exception response, a peer that dies and
// comes back on the same port, and one that freezes. The register image comes from the same list of
// known values the assertions use (register-image.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  translate,
  WORD_ORDERS,
  type DeviceInput,
  type EventMessage,
  type MessageKey,
  type PointInput,
  type PointView,
  type Sample,
} from '../../shared/index.ts';
import { agrees, ImageBuilder, KNOWN_STRINGS, KNOWN_VALUES, type ExpectedPoint } from './register-image.ts';
import {
  canConnect,
  closeAllCores,
  freePort,
  makeTempDir,
  startCore,
  startPymodbus,
  stopAllProcesses,
  waitFor,
  type Peer,
  type TestCore,
} from './support.ts';

const SCAN_MS = 200;

function tcpDevice(id: string, port: number, extra: Partial<DeviceInput> = {}): DeviceInput {
  return { id, name: id, connection: { kind: 'tcp', host: '127.0.0.1', port }, unitId: 1, timeoutMs: 1000, retries: 0, ...extra };
}

/** Every numeric type in every word order, strings, bits, scaling and datasheet literals. */
function fullImage(deviceId: string): ImageBuilder {
  const builder = new ImageBuilder(deviceId, SCAN_MS);
  for (const [dataType, values] of Object.entries(KNOWN_VALUES) as [keyof typeof KNOWN_VALUES, readonly number[]][]) {
    WORD_ORDERS.forEach((order, index) => builder.value('holding', values[index]!, dataType, order));
  }
  WORD_ORDERS.forEach((order, index) => builder.value('holding', KNOWN_STRINGS[index]!, 'string', order, { length: 7 }));
  builder.bits('holding', 0xa059, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  builder.value('holding', -123, 'int16', 'ABCD', { scale: 0.1, offset: 40, name: 'holding temperature scaled' });
  builder.value('holding', 4000, 'uint32', 'CDAB', { scale: 0.25, name: 'holding flow scaled' });
  // Past one 125-register read, so the device needs at least two blocks.
  builder.skip('holding', 40);
  // Datasheet hex, not produced by the app's encoder: float32 10.0 is 0x41200000, 0x12345678 is 305419896.
  builder.literal('holding', [0x4120, 0x0000], 'float32', 'ABCD', 10, 'sheet float32 ABCD');
  builder.literal('holding', [0x0000, 0x4120], 'float32', 'CDAB', 10, 'sheet float32 CDAB');
  builder.literal('holding', [0x2041, 0x0000], 'float32', 'BADC', 10, 'sheet float32 BADC');
  builder.literal('holding', [0x0000, 0x2041], 'float32', 'DCBA', 10, 'sheet float32 DCBA');
  builder.literal('holding', [0x1234, 0x5678], 'uint32', 'ABCD', 0x12345678, 'sheet uint32 ABCD');
  builder.literal('holding', [0x5678, 0x1234], 'uint32', 'CDAB', 0x12345678, 'sheet uint32 CDAB');
  builder.literal('holding', [0x3412, 0x7856], 'uint32', 'BADC', 0x12345678, 'sheet uint32 BADC');
  builder.literal('holding', [0x7856, 0x3412], 'uint32', 'DCBA', 0x12345678, 'sheet uint32 DCBA');
  builder.literal('holding', [0xffff, 0xfffe], 'int32', 'ABCD', -2, 'sheet int32 ABCD');
  builder.literal('holding', [0x3ff0, 0, 0, 0], 'float64', 'ABCD', 1, 'sheet float64 ABCD');
  builder.literal('holding', [0, 0, 0, 0x3ff0], 'float64', 'CDAB', 1, 'sheet float64 CDAB');
  builder.literal('holding', [0x4142, 0x4344, 0x4500], 'string', 'ABCD', 'ABCDE', 'sheet string ABCD');
  builder.literal('holding', [0x4241, 0x4443, 0x0045], 'string', 'BADC', 'ABCDE', 'sheet string BADC');
  // Input registers (FC4): one of each width, in the two orders meters use most.
  for (const order of ['ABCD', 'CDAB'] as const) {
    builder.value('input', -321, 'int16', order, { name: `input int16 ${order}` });
    builder.value('input', 65000, 'uint16', order, { name: `input uint16 ${order}` });
    builder.value('input', -7654321, 'int32', order, { name: `input int32 ${order}` });
    builder.value('input', 4000000000, 'uint32', order, { name: `input uint32 ${order}` });
    builder.value('input', 49.98, 'float32', order, { name: `input float32 ${order}` });
    builder.value('input', 123456789012, 'int64', order, { name: `input int64 ${order}` });
    builder.value('input', 98765432109876, 'uint64', order, { name: `input uint64 ${order}` });
    builder.value('input', 12345.678901234, 'float64', order, { name: `input float64 ${order}` });
    builder.value('input', 'IN-' + order, 'string', order, { length: 4, name: `input string ${order}` });
  }
  builder.bits('input', 0x8001, [0, 1, 15]);
  builder.flags('coil', [1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1]);
  builder.flags('discrete', [0, 1, 1, 0, 1, 0, 0, 0, 1]);
  return builder;
}

async function pointsOf(core: TestCore, deviceId: string): Promise<Map<string, PointView>> {
  return new Map((await core.call('points.list', { deviceId })).map((point) => [point.id, point]));
}

/** Waits until every point of the device has a good value, then returns them by id. */
async function goodValues(core: TestCore, deviceId: string, timeoutMs = 10_000): Promise<Map<string, PointView>> {
  let last = new Map<string, PointView>();
  try {
    return await waitFor(async () => {
      last = await pointsOf(core, deviceId);
      return [...last.values()].every((point) => point.latest?.quality === 'good') && last;
    }, timeoutMs, { what: `every point of ${deviceId} good` });
  } catch (error) {
    const notGood = [...last.values()].filter((point) => point.latest?.quality !== 'good').map((point) => `${point.id}: ${JSON.stringify(point.latest)}`);
    throw new Error(`${String(error)}\nnot good: ${notGood.slice(0, 10).join('\n')}`);
  }
}

function mismatches(expected: readonly ExpectedPoint[], values: Map<string, PointView>): string[] {
  return expected
    .filter(({ point, expected: value, precision }) => !agrees(values.get(point.id!)?.latest?.value, value, precision))
    .map(({ point, expected: value }) => `${point.name}: expected ${JSON.stringify(value)}, core shows ${JSON.stringify(values.get(point.id!)?.latest?.value)}`);
}

function statusOf(core: TestCore, deviceId: string) {
  return core.call('devices.list', {}).then((devices) => devices.find((device) => device.id === deviceId)?.status);
}

function samplesOf(events: readonly EventMessage[], pointId: string): Sample[] {
  return events.flatMap((message) => (message.event === 'samples.appended' ? message.payload.samples.filter((sample) => sample.pointId === pointId) : []));
}

describe('pymodbus 3.0 as a Modbus TCP server', () => {
  let dir: string;
  let port: number;
  let core: TestCore;
  const device = 'pymodbus-tcp';
  const full = fullImage(device);

  beforeAll(async () => {
    dir = makeTempDir();
    port = await freePort();
    await startPymodbus({ image: full.image, dir, tcpPort: port });
    core = await startCore({ pollers: { quarantineMs: 300, maxQuarantineMs: 600 } });
    await core.call('devices.save', { device: tcpDevice(device, port), points: full.points.map((entry) => entry.point) });
  });

  afterAll(async () => {
    await closeAllCores();
    await stopAllProcesses();
  });

  it('shows every data type in every word order exactly as pymodbus holds it', async () => {
    const values = await goodValues(core, device);
    const registerPoints = full.points.filter(({ point }) => point.function === 'holding' || point.function === 'input');
    expect(registerPoints.length).toBeGreaterThan(60);
    expect(mismatches(registerPoints, values)).toEqual([]);
    // Spot checks a technician would recognise on Modbus Poll's screen.
    const byName = (name: string) => [...values.values()].find((point) => point.name === name)?.latest?.value;
    expect(byName('sheet float32 CDAB')).toBe(10);
    expect(byName('holding string CDAB')).toBe('Chint DTSU666');
    expect(byName('holding temperature scaled')).toBeCloseTo(27.7, 10);
    expect(byName('holding uint64 ABCD')).toBe(Number.MAX_SAFE_INTEGER);
    const status = await statusOf(core, device);
    expect(status?.state).toBe('connected');
    expect(status?.exceptions).toBe(0);
  });

  it('reads coils (FC1) and discrete inputs (FC2)', async () => {
    const values = await goodValues(core, device);
    const bitPoints = full.points.filter(({ point }) => point.function === 'coil' || point.function === 'discrete');
    expect(bitPoints.length).toBe(20);
    expect(mismatches(bitPoints, values)).toEqual([]);
  });

  it('reads before saving (devices.readNow): the raw registers are those pymodbus serves', async () => {
    const sample = full.points.filter((_, index) => index % 3 === 0);
    const { readings } = await core.call('devices.readNow', {
      device: tcpDevice('unsaved', port),
      points: sample.map(({ point }) => ({ ...point, id: `unsaved.${point.id!.split('.').slice(1).join('.')}`, deviceId: 'unsaved' })),
    });
    expect(readings).toHaveLength(sample.length);
    readings.forEach((reading, index) => {
      const entry = sample[index]!;
      expect(reading.error, entry.point.name).toBeNull();
      expect(reading.raw, entry.point.name).toEqual(entry.raw);
      expect(agrees(reading.value, entry.expected, entry.precision), `${entry.point.name}: ${String(reading.value)}`).toBe(true);
    });
  });

  it('names Illegal Data Address for a register pymodbus does not have, and still reads the rest of the device', async () => {
    const id = 'pymodbus-gaps';
    const end = full.size('holding');
    const first = full.points.find(({ point }) => point.function === 'holding' && point.address === 0)!;
    const points: PointInput[] = [
      { id: `${id}.first`, deviceId: id, name: 'first', address: 0, dataType: first.point.dataType!, wordOrder: first.point.wordOrder, scanMs: SCAN_MS },
      // The last mapped register and one past the end, close enough to be merged into one read.
      { id: `${id}.last`, deviceId: id, name: 'last', address: end - 1, dataType: 'uint16', scanMs: SCAN_MS },
      { id: `${id}.missing`, deviceId: id, name: 'missing', address: end + 2, dataType: 'uint16', scanMs: SCAN_MS },
    ];
    const lastRegister = (full.image.holding as number[])[end - 1];
    await core.call('devices.save', { device: tcpDevice(id, port), points });

    const status = await waitFor(async () => {
      const current = await statusOf(core, id);
      return current?.state === 'error' && current.lastError ? current : undefined;
    }, 5000, { what: `${id} in error` });
    const message = translate('en', status.lastError!.key as MessageKey, status.lastError!.params);
    expect(message).toContain('Illegal Data Address');
    expect(message).toContain(id);
    expect(status.exceptions).toBeGreaterThan(0);

    // The merged read was refused; read one by one, the mapped points are good and the missing one is bad.
    const values = await waitFor(async () => {
      const current = await pointsOf(core, id);
      return current.get(`${id}.first`)?.latest?.quality === 'good' &&
        current.get(`${id}.last`)?.latest?.quality === 'good' &&
        current.get(`${id}.missing`)?.latest?.quality === 'bad' &&
        current;
    }, 5000, { what: 'first and last good, missing bad' });
    expect(agrees(values.get(`${id}.first`)?.latest?.value, first.expected, first.precision)).toBe(true);
    expect(values.get(`${id}.last`)?.latest?.value).toBe(lastRegister);
    expect(values.get(`${id}.missing`)?.latest?.value).toBeNull();

    // The state holds while the bad point stays bad: no flicker to 'connected' between scans.
    const seen = new Set<string>();
    const until = Date.now() + 3 * SCAN_MS;
    while (Date.now() < until) {
      seen.add((await statusOf(core, id))?.state ?? 'missing');
      await new Promise((resolve) => setTimeout(resolve, SCAN_MS / 5));
    }
    expect([...seen]).toEqual(['error']);

    // An exception is the device answering: the link, and the other device on it, stay healthy.
    expect((await statusOf(core, device))?.state).toBe('connected');
    await core.call('devices.delete', { deviceId: id });
  });

  it('notices a peer that dies mid-poll, and reads again when it comes back on the same port', async () => {
    const id = 'pymodbus-dies';
    const ownPort = await freePort();
    const builder = new ImageBuilder(id, SCAN_MS);
    builder.value('holding', 231.4, 'float32', 'CDAB', { name: 'voltage' });
    builder.value('holding', 123456, 'uint32', 'ABCD', { name: 'counter' });
    let peer: Peer = await startPymodbus({ image: builder.image, dir, tcpPort: ownPort });
    await core.call('devices.save', { device: tcpDevice(id, ownPort, { timeoutMs: 500 }), points: builder.points.map((entry) => entry.point) });
    expect(mismatches(builder.points, await goodValues(core, id))).toEqual([]);
    await waitFor(async () => (await statusOf(core, id))?.state === 'connected', 5000, { what: `${id} connected` });

    const eventsBefore = core.events.length;
    peer.signal('SIGKILL');
    await peer.exited();
    const down = await waitFor(async () => {
      const current = await statusOf(core, id);
      return current && current.state !== 'connected' && current;
    }, 5000, { what: `${id} no longer connected` });
    expect(['disconnected', 'error', 'quarantined']).toContain(down.state);
    expect(down.lastError).not.toBeNull();
    const bad = await waitFor(async () => {
      const current = await pointsOf(core, id);
      return [...current.values()].every((point) => point.latest?.quality === 'bad') && current;
    }, 5000, { what: 'points bad after the peer died' });
    expect([...bad.values()].map((point) => point.latest?.value)).toEqual([null, null]);
    // The UI hears of it too: a 'bad' sample for each point (events come in batches a few times a second).
    await waitFor(
      () => builder.points.every(({ point }) => samplesOf(core.events.slice(eventsBefore), point.id!).some((sample) => sample.quality === 'bad')),
      2000,
      { what: "a 'bad' sample event for each point" },
    );
    // The main device on the other peer is not held up by the dead one.
    expect((await statusOf(core, device))?.state).toBe('connected');

    peer = await startPymodbus({ image: builder.image, dir, tcpPort: ownPort });
    expect(await canConnect(ownPort)).toBe(true);
    await waitFor(async () => (await statusOf(core, id))?.state === 'connected', 5000, { what: `${id} connected again` });
    const eventsBack = core.events.length;
    await waitFor(
      () => builder.points.every(({ point }) => samplesOf(core.events.slice(eventsBack), point.id!).some((sample) => sample.quality === 'good')),
      5000,
      { what: 'good samples after the restart' },
    );
    expect(mismatches(builder.points, await goodValues(core, id))).toEqual([]);
    await core.call('devices.delete', { deviceId: id });
    await peer.stop();
  });

  it('quarantines a peer that stops answering (frozen, socket still open), and reads again when it wakes', async () => {
    const id = 'pymodbus-freezes';
    const ownPort = await freePort();
    const builder = new ImageBuilder(id, SCAN_MS);
    builder.value('holding', 4321, 'uint16', 'ABCD', { name: 'speed' });
    builder.value('holding', -40.5, 'float32', 'DCBA', { name: 'temperature' });
    const peer = await startPymodbus({ image: builder.image, dir, tcpPort: ownPort });
    await core.call('devices.save', { device: tcpDevice(id, ownPort, { timeoutMs: 300 }), points: builder.points.map((entry) => entry.point) });
    expect(mismatches(builder.points, await goodValues(core, id))).toEqual([]);

    peer.signal('SIGSTOP');
    const frozen = await waitFor(async () => {
      const current = await statusOf(core, id);
      return current?.state === 'quarantined' && current;
    }, 5000, { what: `${id} quarantined` });
    expect(frozen.timeouts).toBeGreaterThanOrEqual(3);
    expect(translate('en', frozen.lastError!.key as MessageKey, frozen.lastError!.params)).toContain('no answer within 300 ms');
    await waitFor(async () => [...(await pointsOf(core, id)).values()].every((point) => point.latest?.quality === 'bad'), 5000, {
      what: 'points bad while frozen',
    });
    expect((await statusOf(core, device))?.state).toBe('connected');

    peer.signal('SIGCONT');
    await waitFor(async () => (await statusOf(core, id))?.state === 'connected', 8000, { what: `${id} connected after waking` });
    // Replies to the requests that timed out while it was frozen must not be taken for later ones.
    const eventsBack = core.events.length;
    await waitFor(
      () => builder.points.every(({ point }) => samplesOf(core.events.slice(eventsBack), point.id!).filter((sample) => sample.quality === 'good').length >= 3),
      5000,
      { what: 'several good scans after waking' },
    );
    const wrong = builder.points.flatMap(({ point, expected, precision }) =>
      samplesOf(core.events.slice(eventsBack), point.id!).filter((sample) => sample.quality === 'good' && !agrees(sample.value, expected, precision)),
    );
    expect(wrong).toEqual([]);
    await core.call('devices.delete', { deviceId: id });
  });

  it('is still reading the first device correctly after all of that', async () => {
    expect(mismatches(full.points, await goodValues(core, device))).toEqual([]);
    expect((await statusOf(core, device))?.state).toBe('connected');
  });
});
