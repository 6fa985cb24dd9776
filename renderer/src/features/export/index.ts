// The export screen: stored history of chosen points to CSV or Excel, in the background, then downloaded.
export { ExportDialog, type ExportPoint } from './ExportDialog.tsx';
