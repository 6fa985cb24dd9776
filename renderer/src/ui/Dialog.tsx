// A modal window on the native <dialog>: focus stays inside, Esc closes it (through onClose, so the
// owner decides), dialogs opened from a dialog stack on top. Clicking the backdrop does nothing, so
// a half-filled form is never lost to a stray click.
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import './ui.css';

interface DialogProps {
  title: ReactNode;
  /** Beside the title, in muted text (the device a dialog is about). */
  subtitle?: ReactNode;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  size?: 'small' | 'medium' | 'large' | 'full';
  testId?: string;
}

export function Dialog({ title, subtitle, onClose, children, footer, size = 'medium', testId }: DialogProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      dialog.showModal();
      // showModal focuses the first button (the ×); a form's first field is where typing should go.
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size}`}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <header className="dialog-head">
        <h2 className="dialog-title">
          {title}
          {subtitle && <span className="dialog-subtitle">{subtitle}</span>}
        </h2>
        <button type="button" className="btn-icon btn dialog-close" onClick={onClose} aria-label={t('common.close')} title={t('common.close')}>
          ×
        </button>
      </header>
      <div className="dialog-body">{children}</div>
      {footer && <footer className="dialog-foot">{footer}</footer>}
    </dialog>
  );
}
