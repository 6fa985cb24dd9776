// The demo plant: each simulated machine behind its own real Modbus TCP server on 127.0.0.1, so the
// core reads it through exactly the client path it uses for real equipment (and so can mbpoll).
import fs from 'node:fs';
import modbusSerial from 'modbus-serial';
import type { DemoAlarmScenario } from '../../shared/contract/alarm-calls.ts';
import type { Logger } from '../host.ts';
import { freePort, isPortFree } from '../net.ts';
import { DEMO_MACHINES } from './demo-config.ts';
import { AirCompressor, type CompressorCounters } from './compressor.ts';
import { MeterMapImages } from './meter-maps.ts';
import { calendarCount, CncMachine, MAX_DEMO_KW, MouldingMachine, PowerMeter, type RegisterImage, type SimulatedMachine } from './simulation.ts';

/** The counters that must never step back, as saved in the data folder. */
interface CounterState {
  parts: number;
  shots: number;
  kwh: number;
  savedAt: number;
  /** Added later: absent in a file an older version saved. */
  scrap?: number;
  compressor?: CompressorCounters;
}

function readCounters(file: string | undefined): CounterState | undefined {
  if (!file) return undefined;
  try {
    const state = JSON.parse(fs.readFileSync(file, 'utf8')) as CounterState;
    if (![state.parts, state.shots, state.kwh, state.savedAt].every(Number.isFinite)) return undefined;
    const compressor = state.compressor;
    const compressorValid = compressor !== undefined && [compressor.runSeconds, compressor.loadSeconds, compressor.kwh, compressor.airM3, compressor.loadCycles].every(Number.isFinite);
    return { ...state, scrap: Number.isFinite(state.scrap) ? state.scrap : undefined, compressor: compressorValid ? compressor : undefined };
  } catch {
    return undefined;
  }
}

const { ServerTCP } = modbusSerial;
type Server = InstanceType<typeof ServerTCP>;

/** Ports the demo plant tries first, so a technician can point Modbus Poll at a known address. */
/** The demo plant's servers: the machines of the demo configuration, and the compressor, which has no demo device (the air compressor template creates one). */
export const DEMO_SERVERS = [...DEMO_MACHINES, 'compressor'] as const;
export type DemoServer = (typeof DEMO_SERVERS)[number];

export const PREFERRED_DEMO_PORTS: Record<DemoServer, number> = { cnc: 15020, moulding: 15021, meter: 15022, compressor: 15023 };

/** Where a demo machine's Modbus TCP server listens. */
export interface DemoEndpoint {
  host: string;
  port: number;
}

const DEMO_HOST = '127.0.0.1';

const STEP_MS = 200;

/** A machine's Modbus server; `imageFor` picks the register map a unit id reads (the meter answers several). */
function startServer(machine: SimulatedMachine, port: number, logger: Logger, imageFor: (unitId: number) => RegisterImage = () => machine.image): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = new ServerTCP(
      {
        getHoldingRegister: (address: number, unitId: number) => imageFor(unitId).read(address, 1)[0]!,
        getMultipleHoldingRegisters: (address: number, length: number, unitId: number) => imageFor(unitId).read(address, length),
        getInputRegister: (address: number, unitId: number) => imageFor(unitId).read(address, 1)[0]!,
        getMultipleInputRegisters: (address: number, length: number, unitId: number) => imageFor(unitId).read(address, length),
        setRegister: (address: number, value: number) => {
          if (!machine.writeRegister) throw Object.assign(new Error('read-only device'), { modbusErrorCode: 0x01 });
          machine.writeRegister(address, value);
        },
        setRegisterArray: (address: number, values: number[]) => {
          if (!machine.writeRegister) throw Object.assign(new Error('read-only device'), { modbusErrorCode: 0x01 });
          values.forEach((value, index) => machine.writeRegister!(address + index, value));
        },
      },
      { host: DEMO_HOST, port, unitID: 255 },
    );
    server.once('initialized', () => resolve(server));
    server.once('serverError', reject);
    server.on('socketError', (error: unknown) => logger.warn('demo plant socket error', { error: String(error) }));
  });
}

export class DemoPlant {
  readonly cnc: CncMachine;
  readonly moulding: MouldingMachine;
  readonly meter: PowerMeter;
  /** Served only: the air compressor template creates its device (the demo configuration has none). */
  readonly compressor: AirCompressor;
  /** The meter's values in the DTSU666 (unit 2), ADL400 (unit 3) and PM5xxx (unit 4) maps. */
  readonly meterMaps = new MeterMapImages();
  readonly #servers: Server[] = [];
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  ports: Record<DemoServer, number> = { cnc: 0, moulding: 0, meter: 0, compressor: 0 };

  readonly #stateFile: string | undefined;
  #saved: CounterState | undefined;

  /**
   * `stateFile` keeps the counters across restarts: a part or shot is saved before any client can
   * read it, and the energy register resumes above anything the cell could have drawn meanwhile.
   */
  constructor(logger: Logger, now = Date.now(), stateFile?: string) {
    this.#logger = logger;
    this.#stateFile = stateFile;
    const saved = readCounters(stateFile);
    const offHours = saved ? Math.max(0, now - saved.savedAt) / 3_600_000 : 0;
    this.cnc = new CncMachine(now, 1, Math.max(calendarCount(now, 52_000), saved?.parts ?? 0));
    const shots = Math.max(calendarCount(now, 26_000), saved?.shots ?? 0);
    this.moulding = new MouldingMachine(now, 2, shots, saved?.scrap);
    this.meter = new PowerMeter(now, [this.cnc, this.moulding], 3, saved ? saved.kwh + offHours * MAX_DEMO_KW : undefined);
    this.meterMaps.publish(this.meter.reading);
    this.compressor = new AirCompressor(now, 4, saved?.compressor);
    this.#saveCounters(now);
  }

  #saveCounters(now: number): void {
    if (!this.#stateFile) return;
    const state: CounterState = { parts: this.cnc.parts, shots: this.moulding.shots, kwh: this.meter.kwh, savedAt: now, scrap: this.moulding.scrap, compressor: this.compressor.counters };
    try {
      const temporary = `${this.#stateFile}.tmp`;
      fs.writeFileSync(temporary, JSON.stringify(state));
      fs.renameSync(temporary, this.#stateFile);
      this.#saved = state;
    } catch (error) {
      this.#logger.warn('cannot save the demo plant counters', { error: String(error) });
    }
  }

  /**
   * Makes a machine misbehave on purpose, so alarms can be tried without a real fault:
   * 'barrelOverheat' drives the moulding machine's barrel zone 3 about 40 °C over its setpoint;
   * 'normal' ends it (the zone cools back within seconds).
   */
  causeAlarm(scenario: DemoAlarmScenario): void {
    this.moulding.overheatC = scenario === 'barrelOverheat' ? 40 : 0;
  }

  /** Starts the machines and their servers; `preferFixedPorts` false always takes free ephemeral ports. */
  async start(preferFixedPorts = true): Promise<Record<DemoServer, number>> {
    const machines: [DemoServer, SimulatedMachine][] = [
      ['cnc', this.cnc],
      ['moulding', this.moulding],
      ['meter', this.meter],
      ['compressor', this.compressor],
    ];
    for (const [name, machine] of machines) {
      const preferred = PREFERRED_DEMO_PORTS[name];
      const port = preferFixedPorts && (await isPortFree(preferred)) ? preferred : await freePort();
      const imageFor = name === 'meter' ? (unitId: number) => this.meterMaps.image(unitId) ?? this.meter.image : undefined;
      this.#servers.push(await startServer(machine, port, this.#logger, imageFor));
      this.ports[name] = port;
    }
    this.#timer = setInterval(() => {
      const now = Date.now();
      for (const [, machine] of machines) machine.step(now);
      this.meterMaps.publish(this.meter.reading);
      // In the same tick as the step, so no client can read a count that is not saved yet.
      const saved = this.#saved;
      if (!saved || saved.parts !== this.cnc.parts || saved.shots !== this.moulding.shots || now - saved.savedAt > 5000) {
        this.#saveCounters(now);
      }
    }, STEP_MS);
    this.#timer.unref();
    this.#logger.info('demo plant running', { ports: this.ports });
    return this.ports;
  }

  /** Each demo machine's server address (port 0 before start), for an install form's "use the demo plant". */
  endpoints(): Record<DemoServer, DemoEndpoint> {
    const endpoint = (machine: DemoServer): DemoEndpoint => ({ host: DEMO_HOST, port: this.ports[machine] });
    return { cnc: endpoint('cnc'), moulding: endpoint('moulding'), meter: endpoint('meter'), compressor: endpoint('compressor') };
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#saveCounters(Date.now());
    await Promise.all(
      this.#servers.splice(0).map(
        (server) =>
          new Promise<void>((resolve) => {
            for (const socket of server.socks.keys()) socket.destroy();
            server.close(() => resolve());
          }),
      ),
    );
  }
}
