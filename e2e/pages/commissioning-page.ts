// Page object for the technician's screens: the commissioning workspace (device settings, register
// map, import), the write dialog and the audit log, opened from the live screen.
import { expect, type Locator, type Page } from '@playwright/test';

export class CommissioningPage {
  readonly page: Page;
  readonly editor: Locator;

  constructor(page: Page) {
    this.page = page;
    this.editor = page.getByTestId('device-editor');
  }

  device(id: string): Locator {
    return this.page.getByTestId(`device-${id}`);
  }

  /** "Add device" over the device list. */
  async addDevice(): Promise<void> {
    await this.page.getByTestId('add-device').click();
    await expect(this.editor).toBeVisible();
  }

  /** "Commission…" for a device of the list. */
  async commission(deviceId: string): Promise<void> {
    await this.device(deviceId).click();
    await this.page.getByTestId('commission-device').click();
    await expect(this.editor).toBeVisible();
  }

  async fillTcpConnection(settings: { name: string; host: string; port: number; unitId: number }): Promise<void> {
    await this.page.getByTestId('device-name').fill(settings.name);
    await this.page.getByTestId('device-kind-tcp').check();
    await this.page.getByTestId('device-host').fill(settings.host);
    await this.page.getByTestId('device-port').fill(String(settings.port));
    await this.page.getByTestId('device-unit').fill(String(settings.unitId));
  }

  /** Runs "Test connection" and returns the sentence it answers with. */
  async testConnection(): Promise<Locator> {
    await this.page.getByTestId('test-connection').click();
    const result = this.page.getByTestId('test-result');
    await expect(result).toBeVisible();
    return result;
  }

  async openTab(tab: 'connection' | 'map' | 'traffic' | 'health'): Promise<void> {
    await this.page.getByTestId(`tab-${tab}`).click();
  }

  /** Adds a row to the register map and types its name, address and data type. */
  async addPoint(point: { name: string; address: string; dataType?: string }): Promise<number> {
    await this.page.getByTestId('map-add').click();
    const index = (await this.page.locator('[data-testid^="map-row-"]').count()) - 1;
    await this.page.getByTestId(`map-name-${index}`).fill(point.name);
    await this.page.getByTestId(`map-address-${index}`).fill(point.address);
    if (point.dataType) await this.page.getByTestId(`map-dataType-${index}`).selectOption(point.dataType);
    return index;
  }

  async readNow(): Promise<void> {
    await this.page.getByTestId('read-now').click();
    await expect(this.page.getByTestId('read-now-result')).toBeVisible();
  }

  readValue(row: number): Locator {
    return this.page.getByTestId(`map-value-${row}`);
  }

  rawRegisters(row: number): Locator {
    return this.page.getByTestId(`map-raw-${row}`);
  }

  async save(): Promise<Locator> {
    await this.page.getByTestId('device-save').click();
    const outcome = this.page.getByTestId('save-outcome');
    await expect(outcome).toBeVisible();
    return outcome;
  }

  async close(): Promise<void> {
    await this.page.getByTestId('device-close').click();
    await expect(this.editor).toBeHidden();
  }

  /** Chooses a register map file in the import dialog; the check runs by itself. */
  async checkImport(file: { name: string; content: string }): Promise<void> {
    await this.page.getByTestId('import-open').click();
    await this.page.getByTestId('import-file').setInputFiles({ name: file.name, mimeType: 'text/csv', buffer: Buffer.from(file.content, 'utf8') });
    await expect(this.page.getByTestId('import-summary')).toBeVisible();
  }

  importProblems(): Locator {
    return this.page.getByTestId('import-problem');
  }

  /** Opens "Write…" of a point in the live values and types the value (the confirm step follows). */
  async startWrite(pointId: string, value: string): Promise<void> {
    await this.page.getByTestId(`write-${pointId}`).click();
    await this.page.getByTestId('write-value').fill(value);
    await this.page.getByTestId('write-next').click();
    await expect(this.page.getByTestId('write-question')).toBeVisible();
  }

  async confirmWrite(): Promise<Locator> {
    await this.page.getByTestId('write-confirm').click();
    const result = this.page.getByTestId('write-result');
    await expect(result).toBeVisible();
    return result;
  }
}
