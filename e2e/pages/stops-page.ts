// Page object for stop reasons on the Overview (the "Stops this shift" widget and the losses by reason
// of the OEE widget) and for Settings → Production (the shift calendar).
import { expect, type Locator, type Page } from '@playwright/test';

export class StopsPage {
  readonly page: Page;
  readonly widget: Locator;
  readonly rows: Locator;
  readonly losses: Locator;

  constructor(page: Page) {
    this.page = page;
    this.widget = page.getByTestId('widget-stops');
    this.rows = this.widget.getByTestId('stop-row');
    this.losses = page.getByTestId('widget-oee-breakdown');
  }

  /** The row of the stop of `machineId` going on now. */
  openStop(machineId: string): Locator {
    return this.widget.locator(`[data-testid="stop-row"][data-machine="${machineId}"][data-open="true"]`);
  }

  /** Chooses a stop and gives it the reason with `code` (the big button of that reason). */
  async giveReason(stop: Locator, code: string): Promise<void> {
    await stop.click();
    await expect(stop).toHaveAttribute('aria-pressed', 'true');
    await this.widget.getByTestId(`reason-${code}`).click();
    await expect(stop).toHaveAttribute('data-reason', code);
  }

  /** A reason's entry in the OEE widget's losses by reason. */
  lossReason(code: string): Locator {
    return this.losses.getByTestId(`loss-reason-${code}`);
  }

  /** Opens Settings on its Production tab. */
  async openProduction(): Promise<void> {
    await this.page.getByTestId('settings-open').click();
    await this.page.getByTestId('settings-tab-production').click();
    await expect(this.page.getByTestId('calendar-section')).toBeVisible();
  }

  shift(id: string): Locator {
    return this.page.getByTestId(`shift-${id}`);
  }

  /** Sets a shift's start and end (HH:MM) and saves the calendar; returns the outcome notice. */
  async setShiftTimes(id: string, start: string, end: string): Promise<Locator> {
    await this.shift(id).getByTestId('shift-start').fill(start);
    await this.shift(id).getByTestId('shift-end').fill(end);
    await this.page.getByTestId('calendar-save').click();
    return this.page.getByTestId('calendar-outcome');
  }
}
