// The device editor: settings form, connection fields (shared with the unit-id scan), delete dialog.
export { DeviceForm } from './DeviceForm.tsx';
export { ConnectionFields } from './ConnectionFields.tsx';
export { DeleteDeviceDialog } from './DeleteDeviceDialog.tsx';
export {
  deviceToForm,
  formToDevice,
  newDeviceForm,
  pickConnection,
  connectionToForm,
  type DeviceForm as DeviceFormValue,
  type ConnectionForm,
} from './device-form.ts';
