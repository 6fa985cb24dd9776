// A sentence in place of a widget's content: still loading, a service that is not there, a failure.
import type { ReactNode } from 'react';

interface WidgetMessageProps {
  title: ReactNode;
  hint?: ReactNode;
  tone?: 'muted' | 'info' | 'bad';
  testId?: string;
}

export function WidgetMessage({ title, hint, tone = 'info', testId }: WidgetMessageProps) {
  return (
    <div className={`widget-message widget-message-${tone}`} role={tone === 'bad' ? 'alert' : 'status'} data-testid={testId}>
      <span className="widget-message-title">{title}</span>
      {hint && <span className="widget-message-hint">{hint}</span>}
    </div>
  );
}
