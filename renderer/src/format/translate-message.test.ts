import { describe, expect, it } from 'vitest';
import { translate } from '../../../shared/i18n/index.ts';
import { translateMessage, type Translate } from './translate-message.ts';

const zh: Translate = (key, params) => translate('zh-CN', key, params);
/** Like i18next: substitutes parameters as they are, without translating them. */
const literal: Translate = (key, params = {}) =>
  (key === 'error.deviceException' ? '{{device}}: {{advice}}' : key === 'modbus.advice.address' ? 'Check the address.' : key).replace(
    /\{\{(\w+)\}\}/g,
    (_, name: string) => String(params[name]),
  );

describe('translateMessage', () => {
  it('translates parameters that are message keys', () => {
    const text = translateMessage(literal, { key: 'error.deviceException', params: { device: 'CNC-1', advice: 'modbus.advice.address' } });
    expect(text).toBe('CNC-1: Check the address.');
  });

  it('leaves other parameters alone, numbers included', () => {
    const text = translateMessage(zh, { key: 'error.deviceTimeout', params: { address: '10.0.0.5:502', device: 'CNC-1', timeoutMs: 1000 } });
    expect(text).toContain('10.0.0.5:502');
    expect(text).toContain('1000 毫秒');
  });

  it('shows a key this UI does not know as itself', () => {
    expect(translateMessage(zh, { key: 'error.fromTheFuture', params: {} })).toBe('error.fromTheFuture');
  });

  it('does not take a parameter that only looks like a key for one', () => {
    expect(translateMessage(literal, { key: 'error.deviceException', params: { device: 'modbus.advice', advice: 'x' } })).toBe('modbus.advice: x');
  });
});
