// Page object for the Alarms page and the header's alarm badge: the active list (acknowledge,
// shelve), the history with its filters, the rules; and desktop notifications, recorded by a stand-in
// for the browser's Notification API.
import { expect, type Locator, type Page } from '@playwright/test';

export interface ShownNotification {
  title: string;
  body: string;
}

export class AlarmsPage {
  readonly page: Page;
  readonly badge: Locator;
  readonly active: Locator;
  readonly history: Locator;

  constructor(page: Page) {
    this.page = page;
    this.badge = page.getByTestId('alarm-badge');
    this.active = page.getByTestId('alarms-active');
    this.history = page.getByTestId('alarms-history');
  }

  /**
   * Before the page loads: replaces Notification with a recorder that has permission, so the test
   * sees each desktop notification the app shows (headless Chromium shows none).
   */
  async recordNotifications(): Promise<void> {
    await this.page.addInitScript(() => {
      const shown: { title: string; body: string }[] = [];
      (window as unknown as { __notifications: typeof shown }).__notifications = shown;
      class RecordedNotification {
        static permission = 'granted';
        static requestPermission = async () => 'granted';
        onclick: (() => void) | null = null;
        constructor(title: string, options?: { body?: string }) {
          shown.push({ title, body: options?.body ?? '' });
        }
        close() {}
      }
      (window as unknown as { Notification: unknown }).Notification = RecordedNotification;
    });
  }

  async notifications(): Promise<ShownNotification[]> {
    return this.page.evaluate(() => (window as unknown as { __notifications?: ShownNotification[] }).__notifications ?? []);
  }

  /** Opens the app and goes to the Alarms page through the header's tab. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByTestId('nav-alarms').click();
    await expect(this.page.getByTestId('alarms-page')).toBeVisible();
    await expect(this.badge).toBeVisible();
  }

  async showTab(tab: 'active' | 'history' | 'rules' | 'notifications'): Promise<void> {
    await this.page.getByTestId(`alarms-tab-${tab}`).click();
    await expect(this.page.getByTestId(`alarms-tab-${tab}`)).toHaveAttribute('aria-selected', 'true');
  }

  /** The active list's row of a rule's alarm. */
  alarm(ruleId: string): Locator {
    return this.active.getByTestId(`alarm-${ruleId}`);
  }

  async acknowledge(ruleId: string): Promise<void> {
    await this.alarm(ruleId).getByTestId('alarm-ack').click();
  }

  async shelve(ruleId: string, minutes: number, reason: string): Promise<void> {
    await this.alarm(ruleId).getByTestId('alarm-shelve').click();
    const dialog = this.page.getByTestId('shelve-dialog');
    await dialog.getByTestId('shelve-minutes').selectOption(String(minutes));
    await dialog.getByTestId('shelve-reason').fill(reason);
    await dialog.getByTestId('shelve-confirm').click();
    await expect(dialog).toBeHidden();
  }

  /** Tells the demo plant to misbehave (or to stop), through the API as an engineer on this PC would. */
  async causeDemoAlarm(url: string, scenario: 'barrelOverheat' | 'normal'): Promise<void> {
    const response = await this.page.request.post(`${url}/api/demo.causeAlarm`, { data: { scenario } });
    expect(response.status()).toBe(200);
  }

  /** History rows of one rule, as "event" words in the order shown (newest first). */
  async historyEvents(ruleId: string): Promise<string[]> {
    const rows = this.history.locator(`[data-testid^="history-${ruleId}-"]`);
    return rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-event') ?? ''));
  }
}
