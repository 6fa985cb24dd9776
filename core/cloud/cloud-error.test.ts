import { describe, expect, it } from 'vitest';
import { cloudErrorOf } from './cloud-error.ts';

describe('cloudErrorOf', () => {
  it("reads the cloud's code and sentence", () => {
    expect(cloudErrorOf({ status: 409, body: { error: { code: 'sequence_gap', message: 'Expected sequence 4.' } } })).toEqual({ code: 'sequence_gap', message: 'Expected sequence 4.' });
  });

  it('falls back to the status, or a text body, when the answer names nothing', () => {
    expect(cloudErrorOf({ status: 502, body: undefined })).toEqual({ code: 'http_502', message: 'HTTP 502' });
    expect(cloudErrorOf({ status: 400, body: { error: { code: 7 } } })).toEqual({ code: 'http_400', message: 'HTTP 400' });
    expect(cloudErrorOf({ status: 503, body: ' Bad gateway \n' })).toEqual({ code: 'http_503', message: 'Bad gateway' });
    expect(cloudErrorOf({ status: 500, body: null })).toEqual({ code: 'http_500', message: 'HTTP 500' });
  });
});
