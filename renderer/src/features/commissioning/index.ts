// The commissioning workspace: device settings, register map, traffic and health of one device.
export { CommissioningDialog } from './CommissioningDialog.tsx';
