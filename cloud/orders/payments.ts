// Payment goes through a provider interface; no real gateway is called. Two providers ship: an
// invoice paid by bank transfer, which the operator confirms when the money arrives, and a test
// provider that confirms at once (enabled only where the operator turns it on).
import type { PaymentMethod } from '../../shared/cloud/index.ts';

export interface InvoiceToPay {
  id: string;
  number: string;
  organisationId: string;
  currency: string;
  total: number;
}

export interface PaymentRequest {
  /** What the payer needs: bank account, the reference to quote… */
  instructions: Record<string, string>;
  /** Paid already (the test provider); otherwise confirmation comes later. */
  paid: boolean;
  reference?: string;
}

export interface PaymentProvider {
  readonly method: PaymentMethod;
  requestPayment(invoice: InvoiceToPay): Promise<PaymentRequest>;
}

export interface BankAccount {
  accountName: string;
  bank: string;
  accountNumber: string;
}

/** An invoice paid by bank transfer; the operator confirms it (`npm run cloud -- invoices confirm`). */
export function bankTransferProvider(account: BankAccount): PaymentProvider {
  return {
    method: 'bank_transfer',
    async requestPayment(invoice) {
      return {
        paid: false,
        instructions: {
          accountName: account.accountName,
          bank: account.bank,
          accountNumber: account.accountNumber,
          amount: `${(invoice.total / 100).toFixed(2)} ${invoice.currency}`,
          reference: invoice.number,
        },
      };
    },
  };
}

/** Confirms every payment at once. For tests and demonstrations only. */
export function testPaymentProvider(): PaymentProvider {
  return {
    method: 'test',
    async requestPayment(invoice) {
      return { paid: true, instructions: { note: 'Paid by the test payment provider.' }, reference: `test-${invoice.number}` };
    },
  };
}

export type PaymentProviders = Partial<Record<PaymentMethod, PaymentProvider>>;

export const DEFAULT_BANK_ACCOUNT: BankAccount = {
  accountName: 'PlantDesk Marketplace',
  bank: '(set PLANTDESK_BANK_NAME)',
  accountNumber: '(set PLANTDESK_BANK_ACCOUNT)',
};
