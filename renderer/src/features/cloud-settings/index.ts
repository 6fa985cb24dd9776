// Settings → Cloud and licences, and the cloud state the header and the licence banner share.
export { CloudPanel } from './CloudPanel.tsx';
export { useCloudStore, startCloudFeed, loadLicences, loadCloudStatus } from './cloud-store.ts';
export { openCloudSettings, requestedSection, clearRequestedSection } from './open-cloud-settings.ts';
export { SYNC_TONE } from './sync-tone.ts';
