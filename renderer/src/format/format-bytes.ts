// Sizes as a person reads them, the way the core writes them in its messages (SI units, as
// Windows Explorer rounds): 512 B, 12.5 kB, 340 MB, 1.2 GB.

/**
 * A byte count in words.
 * @example formatBytes(12_500) // → '12.5 kB'
 */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}
