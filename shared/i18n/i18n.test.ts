import { describe, expect, it } from 'vitest';
import { en, translate, zhCN } from './index.ts';

describe('translate', () => {
  it('has every key in both languages, with the same placeholders', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('renders a fragment parameter in the same language, and any other parameter as data', () => {
    const params = { device: 'CNC-1', exceptionCode: 2, exceptionName: 'Illegal Data Address', advice: 'modbus.advice.address' };
    expect(translate('en', 'error.deviceException', params)).toContain('Check the address and function');
    expect(translate('zh-CN', 'error.deviceException', params)).toContain('请检查点表中的地址和功能码');
    // A call name that happens to be a UI label's key stays the call name.
    expect(translate('en', 'error.unknownCall', { call: 'storage.restore' })).toContain('"storage.restore"');
  });
});
