// What modbus-serial and the socket layer throw, turned into sentences a technician can act on.
import { AppError } from '../../shared/index.ts';

/** Modbus exception codes by the names the specification and Modbus Poll use. */
export const EXCEPTION_NAMES: Record<number, string> = {
  1: 'Illegal Function',
  2: 'Illegal Data Address',
  3: 'Illegal Data Value',
  4: 'Server Device Failure',
  5: 'Acknowledge',
  6: 'Server Device Busy',
  8: 'Memory Parity Error',
  10: 'Gateway Path Unavailable',
  11: 'Gateway Target Failed to Respond',
};

interface ModbusErrorLike {
  name?: string;
  message?: string;
  errno?: string;
  code?: string;
  modbusCode?: number;
}

/** The next step for each exception, as a message key the host renders in the user's language. */
function exceptionAdvice(code: number): string {
  if (code === 1) return 'modbus.advice.function';
  if (code === 2) return 'modbus.advice.address';
  if (code === 3) return 'modbus.advice.value';
  if (code === 10 || code === 11) return 'modbus.advice.gateway';
  return 'modbus.advice.device';
}

export interface DeviceLabel {
  /** The device's name as the user gave it. */
  device: string;
  /** host:port or the serial port path. */
  address: string;
  timeoutMs: number;
  /** A serial port: connection problems name the adapter, not an IP address. */
  serial?: boolean;
}

export type FailureKind = 'timeout' | 'exception' | 'reply' | 'connection';

/** A reply that is well framed but does not answer the request (wrong size). */
export class BadReplyError extends Error {
  override readonly name = 'BadReplyError';
}

/**
 * Classifies a failure: a Modbus exception or a misfit reply means the device answered, and leaves
 * the link healthy; a timeout or a socket error may not.
 */
export function failureKind(error: unknown): FailureKind {
  const candidate = (error ?? {}) as ModbusErrorLike;
  if (typeof candidate.modbusCode === 'number') return 'exception';
  if (error instanceof BadReplyError) return 'reply';
  if (candidate.name === 'TransactionTimedOutError' || candidate.errno === 'ETIMEDOUT') return 'timeout';
  return 'connection';
}

export function toDeviceError(error: unknown, label: DeviceLabel): AppError {
  if (error instanceof AppError) return error;
  const candidate = (error ?? {}) as ModbusErrorLike;
  const params = { device: label.device, address: label.address, timeoutMs: label.timeoutMs };
  switch (failureKind(error)) {
    case 'exception': {
      const exceptionCode = candidate.modbusCode ?? 0;
      return new AppError('device_error', 'error.deviceException', {
        params: {
          ...params,
          exceptionCode,
          exceptionName: EXCEPTION_NAMES[exceptionCode] ?? 'Unknown exception',
          advice: exceptionAdvice(exceptionCode),
        },
        details: { exceptionCode },
        cause: error,
      });
    }
    case 'timeout':
      return new AppError('timeout', 'error.deviceTimeout', { params, cause: error });
    case 'reply':
      return new AppError('device_error', 'error.deviceBadReply', { params: { ...params, reason: candidate.message ?? '' }, cause: error });
    case 'connection': {
      const code = candidate.code ?? candidate.errno;
      if (code === 'ECONNREFUSED' && candidate.name !== 'PortNotOpenError') {
        return new AppError('device_error', 'error.deviceRefused', { params, cause: error });
      }
      const reason = (candidate.message ?? String(error)).replace(/^Error: /, '');
      const key = label.serial ? 'error.serialUnavailable' : 'error.deviceUnreachable';
      return new AppError('device_error', key, { params: { ...params, reason }, cause: error });
    }
  }
}
