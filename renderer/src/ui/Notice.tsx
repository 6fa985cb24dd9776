// A result in one sentence (a test, a write, an import): good, bad, a warning or plain information.
import type { ReactNode } from 'react';

interface NoticeProps {
  tone: 'good' | 'bad' | 'warn' | 'info';
  children: ReactNode;
  testId?: string;
}

const MARK: Record<NoticeProps['tone'], string> = { good: '✓', bad: '!', warn: '!', info: 'i' };

export function Notice({ tone, children, testId }: NoticeProps) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'bad' ? 'alert' : 'status'} data-testid={testId}>
      <span className="notice-mark" aria-hidden="true">
        {MARK[tone]}
      </span>
      <span>{children}</span>
    </div>
  );
}
