// The unit-id scan dialog.
export { UnitScanDialog } from './UnitScanDialog.tsx';
