// Page object for the live screen: device list, live values and the trend.
import { expect, type Locator, type Page } from '@playwright/test';

export class LivePage {
  readonly page: Page;
  readonly trend: Locator;

  constructor(page: Page) {
    this.page = page;
    this.trend = page.getByTestId('trend');
  }

  device(id: string): Locator {
    return this.page.getByTestId(`device-${id}`);
  }

  value(pointId: string): Locator {
    return this.page.getByTestId(`value-${pointId}`);
  }

  /** Opens the live view (#/live; the start page is the Overview). */
  async open(url: string): Promise<void> {
    await this.page.goto(`${url.replace(/\/$/, '')}/#/live`);
  }

  async selectDevice(id: string): Promise<void> {
    await this.device(id).click();
  }

  /** Waits until a point's shown value differs from `before`. */
  async waitForValueChange(pointId: string, before: string): Promise<string> {
    await expect(this.value(pointId)).not.toHaveText(before, { timeout: 20_000 });
    return (await this.value(pointId).textContent()) ?? '';
  }

  async waitForTrend(): Promise<void> {
    await expect(this.trend).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  }

  /** Share of the trend canvas's pixels that are not background: a drawn line makes it non-zero. */
  async trendInk(): Promise<number> {
    return this.trend.locator('canvas').first().evaluate((canvas: HTMLCanvasElement) => {
      const context = canvas.getContext('2d');
      if (!context) return 0;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let ink = 0;
      for (let index = 0; index < data.length; index += 4) {
        const [r, g, b, a] = [data[index]!, data[index + 1]!, data[index + 2]!, data[index + 3]!];
        if (a > 0 && !(r > 240 && g > 240 && b > 240)) ink++;
      }
      return ink / (data.length / 4);
    });
  }
}
