// Hands an export file to the user: a link the browser downloads (web host), or the bytes the bridge
// returned as a Blob (desktop app, where Electron asks where to save it). Both through a temporary
// <a download>, the one way a page starts a download in a browser and in Electron's window alike.

function clickDownload(href: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
}

/** Starts downloading the file at `url` (same origin) under `fileName`. */
export function downloadLink(url: string, fileName: string): void {
  clickDownload(url, fileName);
}

/** Saves base64 `content` as a file. */
export function saveBase64(fileName: string, mimeType: string, contentBase64: string): void {
  const binary = atob(contentBase64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  const url = URL.createObjectURL(new Blob([bytes], { type: mimeType }));
  clickDownload(url, fileName);
  // Revoked later: a browser may start reading the blob only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
