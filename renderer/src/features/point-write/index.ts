// Writing a value to a writable point, with a confirm step and read-back.
export { WritePointDialog } from './WritePointDialog.tsx';
