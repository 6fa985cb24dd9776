// Page object for Settings → Storage: the panel, its backups and the restore question, and how long
// history is kept.
import { expect, type Locator, type Page } from '@playwright/test';

export class StoragePage {
  readonly page: Page;
  readonly panel: Locator;
  readonly backups: Locator;

  constructor(page: Page) {
    this.page = page;
    this.panel = page.getByTestId('storage-panel');
    this.backups = page.getByTestId('storage-backup');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('settings-open').click();
    await expect(this.panel).toHaveAttribute('data-state', /ok|unavailable/);
  }

  state(): Locator {
    return this.page.getByTestId('storage-state');
  }

  async backUpNow(): Promise<void> {
    await this.page.getByTestId('storage-backup-now').click();
    await expect(this.page.getByTestId('storage-result')).toHaveClass(/notice-good/, { timeout: 30_000 });
  }

  async restore(index: number): Promise<void> {
    await this.page.getByTestId(`storage-restore-${index}`).click();
    await this.page.getByTestId('storage-restore-confirm').click();
    await expect(this.page.getByTestId('storage-result')).toHaveClass(/notice-good/, { timeout: 30_000 });
  }

  /** The History kept section: stored forms, retention per class of point, Save. */
  retention(): Locator {
    return this.page.getByTestId('storage-retention');
  }

  /** The row of one stored form: raw samples, 1-minute or 1-hour summaries. */
  form(resolution: 'raw' | '1m' | '1h'): Locator {
    return this.page.getByTestId(`storage-form-${resolution}`);
  }

  /** The days input of one class of point and one form. */
  retentionDays(kind: 'analog' | 'counter' | 'state', field: 'rawDays' | 'minuteDays' | 'hourDays'): Locator {
    return this.page.getByTestId(`storage-retention-${kind}-${field}`);
  }

  retentionForever(kind: 'analog' | 'counter' | 'state', field: 'rawDays' | 'minuteDays' | 'hourDays'): Locator {
    return this.page.getByTestId(`storage-retention-${kind}-${field}-forever`);
  }

  /** Saves the retention settings and waits for the answer (good or bad). */
  async saveRetention(): Promise<Locator> {
    await this.page.getByTestId('storage-retention-save').click();
    const result = this.page.getByTestId('storage-retention-result');
    await expect(result).toBeVisible({ timeout: 30_000 });
    return result;
  }

  async close(): Promise<void> {
    await this.page.getByTestId('settings').getByRole('button', { name: /Close|关闭/ }).last().click();
  }
}
