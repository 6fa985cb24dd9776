// Hands a file to the user: a Blob and a temporary <a download>, which a browser and Electron's
// window both turn into a download (Electron asks where to save it).
import { base64ToBytes } from './map-files.ts';

export function saveFile(fileName: string, mimeType: string, contentBase64: string): void {
  const blob = new Blob([base64ToBytes(contentBase64)], { type: mimeType });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: some browsers start reading the blob only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The file's content as base64, read with FileReader. */
export function readFileAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error(`cannot read ${file.name}`));
    reader.readAsDataURL(file);
  });
}
