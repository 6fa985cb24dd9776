// Page object for Settings → Storage: the panel, its backups and the restore question.
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

  async close(): Promise<void> {
    await this.page.getByTestId('settings').getByRole('button', { name: /Close|关闭/ }).last().click();
  }
}
