// Canonical JSON: one byte string per value, so a signature or a hash made on one side can be
// checked on the other. Object keys sorted by UTF-16 code units (as RFC 8785), no whitespace,
// no undefined members; only finite numbers, strings, booleans, null, arrays and plain objects.

export class CanonicalJsonError extends Error {
  override name = 'CanonicalJsonError';
}

/**
 * @example canonicalJson({ b: 1, a: [true, null] }) === '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, where: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${where} is not a finite number`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item, index) => write(item, `${where}[${index}]`)).join(',')}]`;
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) throw new CanonicalJsonError(`${where} is not a plain object`);
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, member]) => member !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${write(member, `${where}.${key}`)}`).join(',')}}`;
    }
    default:
      throw new CanonicalJsonError(`${where} cannot be written as JSON (${typeof value})`);
  }
}
