// The audit log dialog.
export { AuditLogDialog } from './AuditLogDialog.tsx';
