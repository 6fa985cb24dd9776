// The core's implementation of the commissioning calls (shared/contract/device-calls.ts).
import modbusSerial from 'modbus-serial';
import {
  AppError,
  pointListProblems,
  translate,
  type Device,
  type MessageKey,
  type Point,
} from '../shared/index.ts';
import type { AuditLog } from './audit/audit-log.ts';
import type { Handlers } from './contract/dispatcher.ts';
import { readNow, testDevice, UnitScanner } from './devices/commissioning.ts';
import { initialStatus } from './devices/device-poller.ts';
import type { DeviceManager, DeviceStore, StoredPoint } from './devices/index.ts';
import { writePoint } from './devices/point-writer.ts';
import { formatOf, pointsToRows, readTable, rowsToPoints, writeTable } from './devices/register-map/index.ts';
import type { EventBus } from './event-bus.ts';
import type { Logger } from './host.ts';

export interface DeviceHandlerDeps {
  store: DeviceStore;
  devices: DeviceManager;
  events: EventBus;
  audit: AuditLog;
  logger: Logger;
  pointById: (id: string) => StoredPoint | undefined;
  /** Called after devices or points changed, so indexes and polling follow. */
  onConfigurationChanged: (deviceIds: string[]) => void;
}

type DeviceCallName =
  | 'devices.save' | 'devices.delete' | 'devices.test' | 'devices.readNow' | 'devices.scanUnits' | 'devices.cancelScan'
  | 'devices.traffic' | 'devices.links' | 'serial.listPorts' | 'points.write' | 'audit.list' | 'points.importMap' | 'points.exportMap';


export function createDeviceHandlers(deps: DeviceHandlerDeps): Pick<Handlers, DeviceCallName> & { close(): void } {
  const { store, devices, events, audit } = deps;
  const scanner = new UnitScanner(devices, (progress) => events.emit('commissioning.scanProgressed', progress));

  const requireDevice = (deviceId: string): Device => {
    const device = store.getDevice(deviceId);
    if (!device) throw new AppError('not_found', 'error.deviceNotFound', { params: { device: deviceId } });
    return device;
  };

  const changed = (deviceIds: string[]) => {
    deps.onConfigurationChanged(deviceIds);
    events.emit('devices.changed', { deviceIds });
  };

  const checkPoints = (device: Device, points: readonly Point[], locale: 'en' | 'zh-CN') => {
    const problems = pointListProblems(points);
    if (problems.length === 0) return;
    const describe = (problem: (typeof problems)[number]) =>
      `${points[problem.index]?.name ?? ''}: ${translate(locale, problem.key as MessageKey, problem.params)}`;
    throw new AppError('invalid_input', 'error.pointsInvalid', {
      params: { device: device.name, count: problems.length, first: describe(problems[0]!) },
      details: { problems: problems.map((problem) => ({ index: problem.index, field: problem.field, message: describe(problem) })) },
    });
  };

  return {
    'devices.save': ({ device, points }, { locale }) => {
      const owned = points?.map((point) => ({ ...point, deviceId: device.id }));
      if (owned) checkPoints(device, owned, locale);
      store.saveDevice(device);
      if (owned) store.replacePoints(device.id, owned);
      changed([device.id]);
      return { ...device, status: devices.status(device.id) ?? initialStatus(device.id, device.enabled) };
    },

    'devices.delete': ({ deviceId, keepHistory }) => {
      requireDevice(deviceId);
      const deleted = store.deleteDevice(deviceId, keepHistory);
      changed([deviceId]);
      return { deleted };
    },

    'devices.test': async ({ device }, { locale }) => testDevice(devices, device, store.listPoints(device.id), locale),

    'devices.readNow': async ({ device, points }, { locale }) => {
      const owned = points.map((point) => ({ ...point, deviceId: device.id }));
      checkPoints(device, owned, locale);
      return { readings: await readNow(devices, device, owned, locale) };
    },

    'devices.scanUnits': (request, { locale }) => {
      // Throws at once, before a scan starts, when the port is busy at another baud rate.
      devices.borrowLink(request.connection).release();
      return { scanId: scanner.start(request, locale) };
    },

    'devices.cancelScan': ({ scanId }) => {
      if (!scanner.cancel(scanId)) throw new AppError('not_found', 'error.scanNotFound', { params: { scanId } });
      return { cancelled: true };
    },

    'devices.traffic': ({ deviceId, limit }) => {
      const device = requireDevice(deviceId);
      const link = devices.linkOf(deviceId);
      // Asking is watching: recording runs while the traffic view keeps asking.
      link?.traffic.watch();
      return { frames: link ? link.traffic.frames(device.unitId, limit) : [] };
    },

    'devices.links': () => devices.links(),

    'serial.listPorts': async () => {
      try {
        const ports = (await modbusSerial.default.getPorts()) as { path: string; manufacturer?: string; serialNumber?: string }[];
        return ports.map((port) => ({ path: port.path, manufacturer: port.manufacturer ?? null, serialNumber: port.serialNumber ?? null }));
      } catch (error) {
        deps.logger.warn('cannot list serial ports', { error: String(error) });
        return [];
      }
    },

    'points.write': async ({ pointId, value }, { locale, actor }) => {
      const point = deps.pointById(pointId);
      if (!point) throw new AppError('not_found', 'error.pointNotFound', { params: { point: pointId } });
      const device = requireDevice(point.deviceId);
      const borrowed = devices.linkOf(device.id) ? undefined : devices.borrowLink(device.connection);
      const link = devices.linkOf(device.id) ?? borrowed!.link;
      try {
        const result = await writePoint({ link, device, point, value, actor: actor ?? 'unknown', audit, locale });
        devices.noteValue({ pointId, ts: Date.now(), value: result.readBack, quality: 'good' });
        return result;
      } finally {
        borrowed?.release();
      }
    },

    'audit.list': ({ limit, before }) => audit.list(limit, before),

    'points.importMap': async ({ deviceId, fileName, contentBase64, addressStyle, mode }, { locale }) => {
      const device = requireDevice(deviceId);
      const format = formatOf(fileName);
      let table: string[][];
      try {
        table = await readTable(Buffer.from(contentBase64, 'base64'), format);
      } catch (error) {
        const message = translate(locale, 'map.problem.unreadableFile', { file: fileName, format: format.toUpperCase(), reason: (error as Error).message });
        return { points: [], problems: [{ row: 1, column: '', message, severity: 'error' as const }], imported: 0 };
      }
      const reading = rowsToPoints(table, { deviceId: device.id, addressStyle, locale });
      const clean = reading.badRows.length === 0 && reading.points.length > 0;
      const importing = mode === 'importGoodRows' ? reading.points.length > 0 : mode === 'import' && clean;
      if (importing) {
        store.replacePoints(device.id, reading.points);
        changed([device.id]);
      }
      return { points: reading.points, problems: reading.problems, imported: importing ? reading.points.length : 0 };
    },

    'points.exportMap': async ({ deviceId, format, addressStyle }) => {
      const device = requireDevice(deviceId);
      const points = store.listPoints(deviceId).map(({ num: _num, ...point }) => point);
      const bytes = await writeTable(pointsToRows(points, addressStyle), format);
      const safeName = device.name.replace(/[\\/:*?"<>|]+/g, '_');
      return {
        fileName: `${safeName} register map.${format}`,
        mimeType: format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        contentBase64: bytes.toString('base64'),
      };
    },

    close: () => scanner.cancelAll(),
  };
}
