// Hands an export file to the user through a temporary <a download>, the one way a page starts a
// download in a browser and in Electron's window alike (where Electron asks where to save it).

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
