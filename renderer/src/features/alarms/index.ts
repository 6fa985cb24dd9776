// The alarms feature: the header's badge (which also follows the alarms and shows desktop
// notifications) and the Alarms page.
export { AlarmBadge } from './AlarmBadge.tsx';
export { AlarmsPage } from './AlarmsPage.tsx';
export { useAlarmsStore, loadActiveAlarms } from './alarms-store.ts';
