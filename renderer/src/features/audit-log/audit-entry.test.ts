import { describe, expect, it } from 'vitest';
import { auditActionKey } from './audit-entry.ts';

describe('audit actions', () => {
  it('names known actions and leaves others as they are', () => {
    expect(auditActionKey('point.write')).toBe('audit.action.pointWrite');
    expect(auditActionKey('device.rename')).toBeNull();
    expect(auditActionKey('toString')).toBeNull();
  });
});
