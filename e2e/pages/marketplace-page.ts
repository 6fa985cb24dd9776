// Page objects for the Marketplace (Browse, a template's page with its order and install dialogs,
// Installed) and for Settings → Cloud and licences, where this PC is activated and the sync and the
// licences are shown.
import { expect, type Locator, type Page } from '@playwright/test';

/** What the install form is given: the demo plant's address, and any field typed over it. */
export interface InstallChoice {
  /** The instance name to type instead of the suggested one. */
  instanceId?: string;
  /** Choices made before "Use the demo plant" (the demo's unit id follows a meter model): parameter id → option index. */
  choices?: Record<string, number>;
  /** Fields typed after "Use the demo plant": parameter id → text. */
  fields?: Record<string, string>;
}

export class MarketplacePage {
  readonly page: Page;
  readonly root: Locator;
  readonly cards: Locator;
  readonly search: Locator;
  readonly source: Locator;
  readonly detail: Locator;
  readonly orderDialog: Locator;
  readonly installDialog: Locator;
  readonly installed: Locator;
  readonly instances: Locator;

  constructor(page: Page) {
    this.page = page;
    this.root = page.getByTestId('marketplace-page');
    this.cards = page.locator('[data-testid^="market-card-"]');
    this.search = page.getByTestId('market-search');
    this.source = page.getByTestId('market-source');
    this.detail = page.getByTestId('market-detail');
    this.orderDialog = page.getByTestId('order-dialog');
    this.installDialog = page.getByTestId('install-dialog');
    this.installed = page.getByTestId('market-installed');
    this.instances = page.locator('li.market-instance');
  }

  /** Opens Browse from the page's address. */
  async open(url: string): Promise<void> {
    await this.page.goto(`${url}/#/marketplace`);
    await expect(this.root).toBeVisible();
  }

  /** Presses Refresh and waits until the button is free again. */
  async refresh(): Promise<void> {
    const button = this.page.getByTestId('market-refresh');
    await button.click();
    await expect(button).toBeEnabled({ timeout: 30_000 });
  }

  card(templateId: string): Locator {
    return this.page.getByTestId(`market-card-${templateId}`);
  }

  /** The template ids of the cards on screen, in order. */
  async cardIds(): Promise<string[]> {
    const ids = await this.cards.evaluateAll((cards) => cards.map((card) => card.getAttribute('data-testid') ?? ''));
    return ids.map((id) => id.replace('market-card-', ''));
  }

  /** Opens a template's page from its card. */
  async openTemplate(templateId: string): Promise<void> {
    await this.card(templateId).click();
    await expect(this.detail).toBeVisible();
  }

  /** The template's page: orders its trial plan through the order dialog; returns the licence sentence the dialog shows. */
  async startTrial(): Promise<string> {
    await this.detail.getByTestId('market-order-trial').click();
    await expect(this.orderDialog).toBeVisible();
    await this.orderDialog.getByTestId('order-confirm').click();
    const outcome = this.orderDialog.getByTestId('order-outcome');
    await expect(outcome).toBeVisible({ timeout: 30_000 });
    const text = (await outcome.textContent()) ?? '';
    await this.orderDialog.getByTestId('order-close').click();
    await expect(this.orderDialog).toHaveCount(0);
    return text;
  }

  /** Fills the install form (the demo plant's address, then the given fields) and installs; waits for the done step. */
  async fillAndInstall(choice: InstallChoice = {}): Promise<void> {
    const dialog = this.installDialog;
    await expect(dialog.getByTestId('install-instance')).toBeVisible({ timeout: 30_000 });
    if (choice.instanceId) await dialog.getByTestId('install-instance').fill(choice.instanceId);
    for (const [parameter, index] of Object.entries(choice.choices ?? {})) await dialog.getByTestId(`param-${parameter}`).selectOption(String(index));
    await dialog.getByTestId('install-use-demo').click();
    await expect(dialog.getByTestId('param-host')).not.toHaveValue('');
    for (const [parameter, text] of Object.entries(choice.fields ?? {})) await dialog.getByTestId(`param-${parameter}`).fill(text);
    await dialog.getByTestId('install-confirm').click();
    await expect(dialog.getByTestId('install-done')).toBeVisible({ timeout: 60_000 });
  }

  /** The template's page: Install, the form, and the done step. */
  async install(choice: InstallChoice = {}): Promise<void> {
    await this.detail.getByTestId('market-install').click();
    await expect(this.installDialog).toBeVisible();
    await this.fillAndInstall(choice);
  }

  /** From the install dialog's done step to the new dashboard on the Overview. */
  async openInstalledDashboard(): Promise<void> {
    await this.installDialog.getByTestId('install-open-dashboard').click();
    await expect(this.page.getByTestId('overview-page')).toBeVisible();
    await expect(this.page.getByTestId('dashboard-grid')).toBeVisible();
  }

  async showInstalled(): Promise<void> {
    await this.page.getByTestId('market-tab-installed').click();
    await expect(this.installed).toBeVisible();
  }

  instance(instanceId: string): Locator {
    return this.page.getByTestId(`instance-${instanceId}`);
  }

  /** Uninstalls an instance through the confirmation, keeping (or not) the data it collected. */
  async uninstall(instanceId: string, keepData: boolean): Promise<void> {
    await this.page.getByTestId(`instance-uninstall-${instanceId}`).click();
    const confirm = this.page.getByTestId('installed-confirm');
    await expect(confirm).toBeVisible();
    await confirm.getByTestId('uninstall-keep-data').setChecked(keepData);
    await confirm.getByTestId('installed-confirm-confirm').click();
    await expect(confirm).toHaveCount(0, { timeout: 30_000 });
  }

  /** Installed → Install from file…: chooses the package; the install dialog opens and checks it. */
  async chooseFile(file: string): Promise<void> {
    await this.page.getByTestId('install-file-input').setInputFiles(file);
    await expect(this.installDialog).toBeVisible();
  }
}

/** Settings → Cloud and licences. */
export class CloudSettings {
  readonly page: Page;
  readonly panel: Locator;
  readonly sync: Locator;
  readonly licences: Locator;

  constructor(page: Page) {
    this.page = page;
    this.panel = page.getByTestId('cloud-panel');
    this.sync = page.getByTestId('cloud-sync');
    this.licences = page.getByTestId('cloud-licences');
  }

  /** Opens Settings from the header and shows its Cloud and licences section. */
  async open(): Promise<void> {
    await this.page.getByTestId('settings-open').click();
    await this.page.getByTestId('settings-tab-cloud').click();
    await expect(this.panel).toHaveAttribute('data-activated', /true|false/, { timeout: 15_000 });
  }

  /** Activates this PC with a one-time code from the cloud's web page. */
  async activate(code: string, machineName: string): Promise<void> {
    const form = this.page.getByTestId('cloud-activate');
    await form.getByTestId('cloud-code').fill(code);
    await form.getByTestId('cloud-machine-name').fill(machineName);
    await form.getByTestId('cloud-activate-button').click();
    await expect(this.panel).toHaveAttribute('data-activated', 'true', { timeout: 30_000 });
  }

  licence(templateId: string): Locator {
    return this.page.getByTestId(`cloud-licence-${templateId}`);
  }

  async close(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await expect(this.page.getByTestId('settings')).toHaveCount(0);
  }
}
