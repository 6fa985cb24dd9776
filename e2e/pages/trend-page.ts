// Page object for the Trends page: the point list, the range buttons, the chart (zoom, tooltip) and
// the export window.
import fs from 'node:fs';
import { expect, type Download, type Locator, type Page } from '@playwright/test';

export class TrendPage {
  readonly page: Page;
  readonly chart: Locator;
  readonly picker: Locator;
  readonly exportDialog: Locator;

  constructor(page: Page) {
    this.page = page;
    this.chart = page.getByTestId('history');
    this.picker = page.getByTestId('tag-picker');
    this.exportDialog = page.getByTestId('export-dialog');
  }

  /** Opens the app and goes to Trends through the header. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByTestId('nav-trends').click();
    await expect(this.page.getByTestId('trends-page')).toBeVisible();
  }

  tag(pointId: string): Locator {
    return this.page.getByTestId(`tag-${pointId}`);
  }

  legend(pointId: string): Locator {
    return this.page.getByTestId(`legend-${pointId}`);
  }

  async clearTags(): Promise<void> {
    const clear = this.page.getByTestId('tags-clear');
    if (await clear.isEnabled()) await clear.click();
    await expect(this.page.getByTestId('trends-legend')).toHaveCount(0);
  }

  /** Finds a point by typing in the search box and ticks it. */
  async pick(search: string, pointId: string): Promise<void> {
    await this.page.getByTestId('tag-search').fill(search);
    await this.tag(pointId).click();
    await expect(this.tag(pointId).locator('input')).toBeChecked();
    await expect(this.legend(pointId)).toBeVisible();
    await this.page.getByTestId('tag-search').fill('');
  }

  async chooseRange(preset: 'lastHour' | 'shift' | 'today' | 'last24h' | 'last7d'): Promise<void> {
    await this.page.getByTestId(`range-${preset}`).click();
    await expect(this.page.getByTestId(`range-${preset}`)).toHaveAttribute('aria-pressed', 'true');
  }

  /** Chooses Custom…, types the start (local time, to the minute) and shows it until now. */
  async chooseCustom(from: number): Promise<void> {
    await this.page.getByTestId('range-custom').click();
    const form = this.page.getByTestId('range-custom-form');
    await expect(form).toBeVisible();
    const local = new Date(from);
    const two = (value: number) => String(value).padStart(2, '0');
    await form.getByTestId('range-from').fill(
      `${local.getFullYear()}-${two(local.getMonth() + 1)}-${two(local.getDate())}T${two(local.getHours())}:${two(local.getMinutes())}`,
    );
    await expect(form.getByTestId('range-until-now')).toBeChecked();
    await form.getByTestId('range-apply').click();
    await expect(this.page.getByTestId('range-custom')).toHaveAttribute('aria-pressed', 'true');
  }

  /** Waits until the chart shows the history read for what is on screen. */
  async waitForChart(): Promise<void> {
    await expect(this.chart).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  }

  /** The visible part of the time axis, ms. */
  async view(): Promise<{ from: number; to: number }> {
    const [from, to] = await Promise.all([this.chart.getAttribute('data-view-from'), this.chart.getAttribute('data-view-to')]);
    return { from: Number(from), to: Number(to) };
  }

  /** The plot's box on the page (inside the axes). */
  async plotBox(): Promise<{ left: number; right: number; top: number; bottom: number }> {
    const box = await this.chart.boundingBox();
    if (!box) throw new Error('the chart is not on screen');
    // The plot leaves room for one axis on each side and the slider underneath (history-options.ts).
    return { left: box.x + 80, right: box.x + box.width - 80, top: box.y + 40, bottom: box.y + box.height - 80 };
  }

  /** Turns the mouse wheel over the plot at `share` of its width (0 left … 1 right): zooms in there. */
  async zoomIn(share: number, steps = 3): Promise<void> {
    const plot = await this.plotBox();
    await this.page.mouse.move(plot.left + (plot.right - plot.left) * share, (plot.top + plot.bottom) / 2);
    for (let step = 0; step < steps; step++) {
      const before = await this.view();
      await this.page.mouse.wheel(0, -240);
      await expect.poll(async () => (await this.view()).to - (await this.view()).from).toBeLessThan(before.to - before.from);
    }
  }

  /** Moves the mouse over the plot at `share` of its width and returns the tooltip's text. */
  async tooltipAt(share: number): Promise<Locator> {
    const plot = await this.plotBox();
    await this.page.mouse.move(plot.left + (plot.right - plot.left) * share - 3, (plot.top + plot.bottom) / 2);
    await this.page.mouse.move(plot.left + (plot.right - plot.left) * share, (plot.top + plot.bottom) / 2 + 5);
    const tooltip = this.chart.getByTestId('trend-tooltip');
    await expect(tooltip).toBeVisible();
    return tooltip;
  }

  /** Exports the chart's points to a file; returns the file's text. */
  async exportFile(options: { format: 'CSV (.csv)' | 'Excel (.xlsx)'; layout?: RegExp }): Promise<{ download: Download; text: string }> {
    await this.page.getByTestId('export-open').click();
    await expect(this.exportDialog).toBeVisible();
    await this.exportDialog.getByLabel(options.format).check();
    if (options.layout) await this.exportDialog.getByLabel(options.layout).check();
    const downloading = this.page.waitForEvent('download', { timeout: 30_000 });
    await this.exportDialog.getByTestId('export-start').click();
    const download = await downloading;
    await expect(this.exportDialog.getByTestId('export-done')).toBeVisible();
    const file = await download.path();
    return { download, text: fs.readFileSync(file, 'utf8') };
  }
}
