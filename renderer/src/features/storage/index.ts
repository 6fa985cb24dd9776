// The storage feature: Settings → Storage and the banner while the database is unavailable.
export { StorageBanner } from './StorageBanner.tsx';
export { StoragePanel } from './StoragePanel.tsx';
