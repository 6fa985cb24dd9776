// A package file the user chose (from a USB stick) as the `file` source templates.inspect reads: its
// bytes in base64 and its name for messages. Files over the package limit are refused before reading.
import { PACKAGE_LIMITS } from '../../../../shared/cloud/manifest.ts';
import type { PackageSource } from '../../../../shared/contract/market-calls.ts';

export type PackageFileResult = { ok: true; source: PackageSource } | { ok: false; reason: 'tooLarge' | 'notZip' | 'unreadable' };

/** Whether a file name looks like a template package. */
export function isPackageFileName(name: string): boolean {
  return /\.zip$/i.test(name.trim());
}

/** Reads a chosen file into a package source. */
export async function readPackageFile(file: File): Promise<PackageFileResult> {
  if (!isPackageFileName(file.name)) return { ok: false, reason: 'notZip' };
  if (file.size > PACKAGE_LIMITS.maxPackageBytes) return { ok: false, reason: 'tooLarge' };
  try {
    const dataUrl = await new Promise<string>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
      reader.readAsDataURL(file);
    });
    const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
    if (!base64) return { ok: false, reason: 'unreadable' };
    return { ok: true, source: { kind: 'file', fileName: file.name, base64 } };
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
}
