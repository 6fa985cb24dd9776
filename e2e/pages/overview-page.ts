// Page object for the Overview page: the dashboard on its grid, the machine cards, the toolbar (picker,
// Copy, Edit layout, Save, Export, Import) and dragging a widget by its title bar.
import fs from 'node:fs';
import { expect, type Download, type Locator, type Page } from '@playwright/test';

export interface WidgetPlace {
  x: number;
  y: number;
  w: number;
  h: number;
}

export class OverviewPage {
  readonly page: Page;
  readonly root: Locator;
  readonly grid: Locator;
  readonly machineCards: Locator;
  readonly kpiUnavailable: Locator;

  constructor(page: Page) {
    this.page = page;
    this.root = page.getByTestId('overview-page');
    this.grid = page.getByTestId('dashboard-grid');
    this.machineCards = page.locator('[data-testid^="machine-card-"]');
    this.kpiUnavailable = page.getByTestId('kpi-unavailable');
  }

  /** Opens the app at its start address: the Overview shows without choosing it. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.root).toBeVisible();
    await expect(this.grid).toBeVisible();
  }

  widget(id: string): Locator {
    return this.page.getByTestId(`widget-${id}`);
  }

  /** Waits until the KPI widgets show either machine cards or the "not available" sentence; says which. */
  async waitForMachines(): Promise<'cards' | 'unavailable'> {
    const machines = this.widget('machines');
    await expect(machines.locator('[data-testid^="machine-card-"], [data-testid="kpi-unavailable"]').first()).toBeVisible({ timeout: 30_000 });
    return (await machines.getByTestId('kpi-unavailable').count()) > 0 ? 'unavailable' : 'cards';
  }

  /** Where a widget is on the grid, in cells. */
  async place(id: string): Promise<WidgetPlace> {
    const widget = this.widget(id);
    const [x, y, w, h] = await Promise.all(['data-x', 'data-y', 'data-w', 'data-h'].map((name) => widget.getAttribute(name)));
    return { x: Number(x), y: Number(y), w: Number(w), h: Number(h) };
  }

  /** Copies the dashboard on screen; the copy opens in edit mode. */
  async copy(): Promise<void> {
    await this.page.getByTestId('dashboard-copy').click();
    await expect(this.page.getByTestId('dashboard-save')).toBeVisible();
    await expect(this.page.getByTestId('dashboard-notice')).toBeVisible();
  }

  /** The size of one grid step (a cell and the gap after it), in pixels. */
  async step(): Promise<{ column: number; row: number }> {
    return this.grid.evaluate((grid: HTMLElement) => {
      const style = getComputedStyle(grid);
      const gap = Number.parseFloat(style.getPropertyValue('--grid-gap'));
      return { column: Number.parseFloat(style.getPropertyValue('--cell-width')) + gap, row: Number.parseFloat(style.getPropertyValue('--row-height')) + gap };
    });
  }

  /** Drags a widget by its title bar by whole cells, with the mouse, in small steps as a hand does. */
  async drag(id: string, columns: number, rows: number): Promise<void> {
    const handle = this.widget(id).getByTestId('widget-handle');
    await handle.scrollIntoViewIfNeeded();
    const box = await handle.boundingBox();
    if (!box) throw new Error(`the widget ${id} is not on screen`);
    const step = await this.step();
    const startX = box.x + Math.min(60, box.width / 3);
    const startY = box.y + box.height / 2;
    await this.page.mouse.move(startX, startY);
    await this.page.mouse.down();
    await this.page.mouse.move(startX + columns * step.column, startY + rows * step.row, { steps: 12 });
    await expect(this.page.getByTestId('dashboard-grid')).toHaveClass(/is-dragging/);
    await this.page.mouse.up();
    await expect(this.page.getByTestId('dashboard-grid')).not.toHaveClass(/is-dragging/);
  }

  /** Drags a widget's lower right corner by whole cells. */
  async resize(id: string, columns: number, rows: number): Promise<void> {
    const corner = this.widget(id).getByTestId('widget-resize');
    const box = await corner.boundingBox();
    if (!box) throw new Error(`the widget ${id} is not on screen`);
    const step = await this.step();
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + columns * step.column, y + rows * step.row, { steps: 8 });
    await this.page.mouse.up();
  }

  async save(): Promise<void> {
    await this.page.getByTestId('dashboard-save').click();
    await expect(this.page.getByTestId('dashboard-save')).toHaveCount(0);
    await expect(this.page.getByTestId('dashboard-notice')).toContainText(/Saved|已保存/);
  }

  /** Exports the dashboard on screen; returns the file's name and its JSON. */
  async exportJson(): Promise<{ download: Download; json: unknown }> {
    const downloading = this.page.waitForEvent('download');
    await this.page.getByTestId('dashboard-export').click();
    const download = await downloading;
    const file = await download.path();
    return { download, json: JSON.parse(fs.readFileSync(file, 'utf8')) };
  }

  /** Imports a dashboard file; returns the import dialog (still open when the file was refused). */
  async importJson(name: string, text: string): Promise<Locator> {
    await this.page.getByTestId('dashboard-import-open').click();
    const dialog = this.page.getByTestId('dashboard-import');
    await expect(dialog).toBeVisible();
    await dialog.getByTestId('dashboard-import-file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text, 'utf8') });
    return dialog;
  }

  async choose(name: string | RegExp): Promise<void> {
    const picker = this.page.getByTestId('dashboard-picker');
    const option = picker.locator('option').filter({ hasText: name }).first();
    await picker.selectOption((await option.getAttribute('value')) ?? '');
  }
}
