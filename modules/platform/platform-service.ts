/** PlatformService: the reference platform's lifecycle functions, each firing the hooks a WHMCS install would. */
import type { Kernel } from '../../core/kernel';
import { HookRunner } from './hook-runner';
import { addContact, closeClient, deleteClient, signUp, updateClient, type LifecycleDeps } from './lifecycle/clients';
import { order, pay, type OrderResult } from './lifecycle/orders';
import { registerDomain, type RegistrationResult } from './lifecycle/domains';
import { cancel, reportAbuse } from './lifecycle/services';
import { subscribeNewsletter, type NewsletterResult } from './lifecycle/newsletter';
import { loadClient, loadInvoice, type ClientRecord, type InvoiceRecord } from './store';
import { verifyPassword } from './password';
import type { AbuseReport, CallFacts, NewsletterInput } from './schemas';

/** The platform's service (`kernel.service('platform')`): one method per lifecycle event. */
export class PlatformService {
  private readonly d: LifecycleDeps;

  constructor(readonly kernel: Kernel) {
    this.d = { kernel, hooks: new HookRunner(kernel) };
  }

  /** Signs a client up on a brand → ClientDetailsValidation (pre), ClientAdd (after). */
  signUp(brandSlug: string, details: unknown, context?: CallFacts): Promise<{ clientId: number; subjectId: number | null; failures: number }> {
    return signUp(this.d, brandSlug, details, context);
  }

  /** Changes a client's details → ClientEdit. */
  updateClient(clientId: number, changes: unknown, context?: CallFacts): Promise<{ clientId: number }> {
    return updateClient(this.d, clientId, changes, context);
  }

  /** Adds a contact to a client → ContactAdd. */
  addContact(clientId: number, details: unknown, context?: CallFacts): Promise<{ contactId: number }> {
    return addContact(this.d, clientId, details, context);
  }

  /** Signs a client up for the newsletter (channels, privacy policy version shown) → NewsletterSignup (suite-only). */
  subscribeNewsletter(clientId: number, input: NewsletterInput = {}, context?: CallFacts): Promise<NewsletterResult> {
    return subscribeNewsletter(this.d, clientId, input, context);
  }

  /** Places an order → ShoppingCartValidateCheckout (pre, may veto), AfterShoppingCartCheckout, InvoiceCreated. */
  order(clientId: number, items: unknown, checkoutVars: Record<string, unknown> = {}, context?: CallFacts): Promise<OrderResult> {
    return order(this.d, clientId, items, checkoutVars, context);
  }

  /** Pays an invoice, optionally by a third-party payer (ESM-2) → InvoicePaid. */
  pay(invoiceId: number, opts: { payer?: unknown } = {}, context?: CallFacts): Promise<{ invoiceId: number; payerId: number | null; payerSubjectId: number | null }> {
    return pay(this.d, invoiceId, opts, context);
  }

  /** Registers a pending domain → PreRegistrarRegisterDomain (pre), AfterRegistrarRegistration. */
  registerDomain(domainId: number, context?: CallFacts): Promise<RegistrationResult> {
    return registerDomain(this.d, domainId, context);
  }

  /** Cancels a service → CancellationRequest. */
  cancel(serviceId: number, reason?: string, context?: CallFacts): Promise<{ serviceId: number; status: 'cancelled' }> {
    return cancel(this.d, serviceId, reason, context);
  }

  /** Closes a client account → ClientClose. */
  close(clientId: number, context?: CallFacts): Promise<{ clientId: number; cancelledServices: number }> {
    return closeClient(this.d, clientId, context);
  }

  /** Deletes a client → PreDeleteClient (pre, inside the deleting transaction). */
  deleteClient(clientId: number, context?: CallFacts): Promise<{ clientId: number; deleted: true }> {
    return deleteClient(this.d, clientId, context);
  }

  /** Reports an abuse complaint against a service → AbuseComplaint (ESM-4). */
  reportAbuse(serviceId: number, report: AbuseReport = {}, context?: CallFacts): Promise<{ serviceId: number; suspended: boolean; failures: number }> {
    return reportAbuse(this.d, serviceId, report, context);
  }

  /** An invoice (status, total, client, payer) — what a payment gateway reads before it opens a checkout. */
  invoice(invoiceId: number): Promise<InvoiceRecord> {
    return loadInvoice(this.kernel.db, invoiceId);
  }

  /** A client with decrypted details (for the platform's own screens and tests). */
  client(clientId: number): Promise<ClientRecord> {
    return loadClient(this.kernel, clientId);
  }

  /** Checks a client's password against the stored scrypt hash. */
  async checkPassword(clientId: number, password: string): Promise<boolean> {
    const row = await this.kernel.db('platform_clients').where({ id: clientId }).first('password_hash');
    return verifyPassword(password, row?.password_hash ?? null);
  }
}
