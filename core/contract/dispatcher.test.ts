// The dispatcher, the one path every call takes: unknown name, role, input, handler, error mapping —
// in that order — with every refusal a sentence in the caller's language.
import { describe, expect, it } from 'vitest';
import { AppError, calls, ROLES, roleAllows, type CallResult, type Role } from '../../shared/index.ts';
import type { Logger } from '../host.ts';
import { createDispatcher, describeIssues, type CallContext, type Handlers } from './dispatcher.ts';

const viewerEn: CallContext = { role: 'viewer', locale: 'en' };
const viewerZh: CallContext = { role: 'viewer', locale: 'zh-CN' };
const hasChinese = /[\u4e00-\u9fff]/;

function recordingLogger() {
  const errors: { message: string; fields: Record<string, unknown> | undefined }[] = [];
  const logger: Logger = { info() {}, warn() {}, error: (message, fields) => errors.push({ message, fields }) };
  return { logger, errors };
}

/**
 * Handlers for the four read calls, recording what reached them; each can be replaced per test. The
 * contract has more calls; the dispatcher only ever runs the handler of the call it was asked for.
 */
function makeHandlers(overrides: Partial<Handlers> = {}): { handlers: Handlers; received: unknown[] } {
  const received: unknown[] = [];
  const handlers: Partial<Handlers> = {
    'app.info': (input) => {
      received.push(input);
      return { name: 'PlantDesk', version: '0.1.0', host: 'web', demo: true, demoEndpoints: null, startedAt: 1, serverTime: 2 };
    },
    'devices.list': (input) => {
      received.push(input);
      return [];
    },
    'points.list': (input) => {
      received.push(input);
      return [];
    },
    'historian.query': (input) => {
      received.push(input);
      return { series: input.pointIds.map((pointId) => ({ pointId, resolution: 'raw' as const, bucketMs: 0, points: [] })) };
    },
    ...overrides,
  };
  return { handlers: handlers as Handlers, received };
}

function errorOf(result: CallResult) {
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

describe('dispatch order', () => {
  it('an unknown call is not_found, named in the message, before its role or input are looked at', async () => {
    const { handlers, received } = makeHandlers();
    const dispatch = createDispatcher(handlers, recordingLogger().logger);
    const error = errorOf(await dispatch('devices.explode', { anything: true }, viewerEn));
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('"devices.explode"');
    expect(errorOf(await dispatch('devices.explode', null, viewerZh)).message).toMatch(hasChinese);
    expect(received).toEqual([]);
  });

  it("names inherited from Object's prototype are not calls", async () => {
    const dispatch = createDispatcher(makeHandlers().handlers, recordingLogger().logger);
    for (const name of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      expect(errorOf(await dispatch(name, {}, viewerEn)).code).toBe('not_found');
    }
  });

  it('a role below the call\'s role is forbidden, before the input is parsed, and the message names both roles', async () => {
    const spec = calls['historian.query'];
    const original = spec.role;
    spec.role = 'engineer';
    try {
      const { handlers, received } = makeHandlers();
      const dispatch = createDispatcher(handlers, recordingLogger().logger);
      const refused = errorOf(await dispatch('historian.query', { not: 'valid' }, { role: 'operator', locale: 'en' }));
      expect(refused.code).toBe('forbidden');
      expect(refused.message).toContain('operator');
      expect(refused.message).toContain('engineer');
      expect(refused.message).toContain('historian.query');
      expect(errorOf(await dispatch('historian.query', {}, { role: 'viewer', locale: 'zh-CN' })).message).toMatch(hasChinese);

      const allowed = await dispatch('historian.query', { pointIds: ['a'], from: 0, to: 1 }, { role: 'admin', locale: 'en' });
      expect(allowed.ok).toBe(true);
      expect(received).toHaveLength(1);
    } finally {
      spec.role = original;
    }
  });

  it('the read calls (app.info, devices.list, points.list, historian.query) need only viewer, and a viewer gets answers', async () => {
    const dispatch = createDispatcher(makeHandlers().handlers, recordingLogger().logger, { checkOutputs: true });
    const inputs = {
      'app.info': {},
      'devices.list': undefined,
      'points.list': { deviceId: 'demo-cnc1' },
      'historian.query': { pointIds: ['demo-cnc1.state'], from: 0, to: 1000 },
    } as const;
    for (const name of Object.keys(inputs) as (keyof typeof inputs)[]) {
      expect(calls[name].role).toBe('viewer');
      expect(await dispatch(name, inputs[name], viewerEn)).toMatchObject({ ok: true });
    }
  });

  it('for every call of the contract, a role just below the one it needs is forbidden and the role itself is not', async () => {
    const dispatch = createDispatcher(makeHandlers().handlers, recordingLogger().logger);
    for (const [name, spec] of Object.entries(calls)) {
      const required = ROLES.indexOf(spec.role);
      const own = await dispatch(name, {}, { role: spec.role, locale: 'en' });
      if (!own.ok) expect(own.error.code, `${spec.role} calling ${name}`).not.toBe('forbidden');
      if (required === 0) continue;
      const below = ROLES[required - 1]!;
      const refused = errorOf(await dispatch(name, {}, { role: below, locale: 'en' }));
      expect(refused.code, `${below} calling ${name}`).toBe('forbidden');
      expect(refused.message).toContain(name);
    }
  });

  it('the handler gets the parsed input, with defaults filled in', async () => {
    const { handlers, received } = makeHandlers();
    const dispatch = createDispatcher(handlers, recordingLogger().logger);
    await dispatch('historian.query', { pointIds: ['x'], from: 5, to: 10 }, viewerEn);
    expect(received).toEqual([{ pointIds: ['x'], from: 5, to: 10, maxPoints: 600 }]);
  });
});

describe('roleAllows', () => {
  it('orders roles viewer < operator < engineer < admin: each may do what the roles before it may', () => {
    expect(ROLES).toEqual(['viewer', 'operator', 'engineer', 'admin']);
    for (const [actualIndex, actual] of ROLES.entries()) {
      for (const [requiredIndex, required] of ROLES.entries()) {
        expect(roleAllows(actual, required), `${actual} doing a ${required} call`).toBe(actualIndex >= requiredIndex);
      }
    }
  });

  it('admin may do anything, viewer only viewer calls', () => {
    expect(ROLES.every((required: Role) => roleAllows('admin', required))).toBe(true);
    expect(ROLES.filter((required: Role) => roleAllows('viewer', required))).toEqual(['viewer']);
  });
});

describe('invalid input', () => {
  const bad = { pointIds: [], from: -5, to: 'tomorrow', colour: 'red' };

  it('is invalid_input with one readable English sentence per problem, naming the fields', async () => {
    const { handlers, received } = makeHandlers();
    const dispatch = createDispatcher(handlers, recordingLogger().logger);
    const error = errorOf(await dispatch('historian.query', bad, viewerEn));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/^The request "historian\.query" has invalid input: /);
    for (const field of ['pointIds', 'from', 'to', 'colour']) expect(error.message).toContain(field);
    expect(error.message).not.toMatch(hasChinese);
    expect(error.message).toMatch(/too small|expected number|unrecognized key/i);
    const issues = (error.details as { issues: { path: unknown[]; code: string; message: string }[] }).issues;
    expect(issues.map((issue) => issue.path.join('.')).sort()).toEqual(['', 'from', 'pointIds', 'to']);
    expect(received).toEqual([]);
  });

  it('is explained in Chinese to a zh-CN caller, fields still named so a technician can find them', async () => {
    const dispatch = createDispatcher(makeHandlers().handlers, recordingLogger().logger);
    const error = errorOf(await dispatch('historian.query', bad, viewerZh));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/^请求“historian\.query”的输入无效：/);
    const problems = error.message.slice(error.message.indexOf('：') + 1);
    expect(problems).toMatch(hasChinese);
    expect(problems).not.toMatch(/too small|expected number|unrecognized key/i);
    for (const field of ['pointIds', 'from', 'to']) expect(problems).toContain(field);
  });

  it('a missing body is taken as empty input (a call without fields works; one with required fields says which)', async () => {
    const dispatch = createDispatcher(makeHandlers().handlers, recordingLogger().logger);
    expect(await dispatch('app.info', undefined, viewerEn)).toMatchObject({ ok: true });
    const error = errorOf(await dispatch('historian.query', undefined, viewerEn));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('pointIds');
  });

  it('describeIssues joins path and message per problem', () => {
    expect(
      describeIssues([
        { code: 'custom', path: ['pointIds', 0], message: 'Unknown point', input: undefined },
        { code: 'custom', path: [], message: 'Empty', input: undefined },
      ]),
    ).toBe('pointIds.0: Unknown point; Empty');
  });
});

describe('errors from handlers', () => {
  it('an AppError keeps its code and details and is worded in the caller\'s language', async () => {
    const dispatch = createDispatcher(
      makeHandlers({
        'points.list': ({ deviceId }) => {
          throw new AppError('not_found', 'error.deviceNotFound', { params: { device: deviceId ?? '' }, details: { deviceId } });
        },
      }).handlers,
      recordingLogger().logger,
    );
    const english = errorOf(await dispatch('points.list', { deviceId: 'CNC-9' }, viewerEn));
    expect(english).toEqual({
      code: 'not_found',
      message: 'There is no device "CNC-9". Refresh the device list.',
      details: { deviceId: 'CNC-9' },
    });
    const chinese = errorOf(await dispatch('points.list', { deviceId: 'CNC-9' }, viewerZh));
    expect(chinese.code).toBe('not_found');
    expect(chinese.message).toContain('CNC-9');
    expect(chinese.message).toMatch(hasChinese);
  });

  it('an unexpected error becomes internal: a sentence for the user, the stack in the log, no leaked internals', async () => {
    const { logger, errors } = recordingLogger();
    const dispatch = createDispatcher(
      makeHandlers({
        'devices.list': async () => {
          throw new TypeError("Cannot read properties of undefined (reading 'secretColumn')");
        },
      }).handlers,
      logger,
    );
    const error = errorOf(await dispatch('devices.list', {}, viewerEn));
    expect(error.code).toBe('internal');
    expect(error.message).toMatch(/^Something went wrong inside PlantDesk/);
    expect(error.message).not.toContain('secretColumn');
    expect(error.details).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.fields).toMatchObject({ call: 'devices.list' });
    expect(String(errors[0]!.fields?.stack)).toContain('secretColumn');
    expect(errorOf(await dispatch('devices.list', {}, viewerZh)).message).toMatch(hasChinese);
  });

  it('a refusal the user caused (invalid_input, not_found) is not logged as a failure', async () => {
    const { logger, errors } = recordingLogger();
    const dispatch = createDispatcher(makeHandlers().handlers, logger);
    await dispatch('nope', {}, viewerEn);
    await dispatch('historian.query', {}, viewerEn);
    expect(errors).toEqual([]);
  });

  it('with checkOutputs, a handler answering outside the contract is caught as internal', async () => {
    const { logger, errors } = recordingLogger();
    const broken = makeHandlers({
      'app.info': () => ({ name: 'PlantDesk' }) as unknown as ReturnType<Handlers['app.info']>,
    }).handlers;
    expect(await createDispatcher(broken, logger).call(null, 'app.info', {}, viewerEn)).toMatchObject({ ok: true });
    const checked = errorOf(await createDispatcher(broken, logger, { checkOutputs: true })('app.info', {}, viewerEn));
    expect(checked.code).toBe('internal');
    expect(errors).toHaveLength(1);
  });
});
