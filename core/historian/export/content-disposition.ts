// The Content-Disposition header for a download whose name may hold Chinese characters: an ASCII
// fallback for old clients, and the exact name in UTF-8 (RFC 6266 / RFC 8187) for the rest.

/**
 * @example contentDisposition('注塑机 1.csv') // attachment; filename="___ 1.csv"; filename*=UTF-8''%E6%B3%A8%E5%A1%91%E6%9C%BA%201.csv
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
