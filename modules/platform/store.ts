/** Reading and sealing platform rows: personal fields live encrypted in `personal_enc`, decrypted only on read. */
import type { Knex } from 'knex';
import { SuiteError } from '../../core/errors';
import type { Keyring } from '../../core/crypto/keyring';
import type { Kernel } from '../../core/kernel';
import type { PersonalDetails } from './schemas';
import { stateError } from './errors';

/** A client as the platform sees it (details null once erased). */
export interface ClientRecord { id: number; brandId: number; status: 'active' | 'closed'; details: PersonalDetails | null; createdAt: number; closedAt: number | null }

/** A service row. */
export interface ServiceRecord { id: number; brandId: number; clientId: number; product: string; domain: string | null; status: 'active' | 'suspended' | 'cancelled'; amount: number }

/** A domain row. */
export interface DomainRecord { id: number; brandId: number; clientId: number; name: string; status: 'pending' | 'active' | 'cancelled'; idprotection: boolean; regperiod: number; expiryAt: number | null }

/** An invoice row. */
export interface InvoiceRecord { id: number; brandId: number; clientId: number; orderId: number | null; payerId: number | null; total: number; status: 'unpaid' | 'paid'; paidAt: number | null; createdAt: number }

/** Encrypts a record's personal fields as one value (the key must be warm: call keyring.activeKeyId() first). */
export function seal(keyring: Keyring, details: Record<string, unknown>): string {
  return keyring.encryptSync(JSON.stringify(details));
}

/** Decrypts a sealed value; inside a transaction pass `sync` so no key reload can query beside it. */
export async function unseal<T = Record<string, unknown>>(keyring: Keyring, enc: string | null, sync = false): Promise<T | null> {
  if (!enc) return null;
  return JSON.parse(sync ? keyring.decryptSync(enc) : await keyring.decrypt(enc)) as T;
}

function notFound(what: string, id: number): SuiteError {
  return new SuiteError('SUITE_NOT_FOUND', { what, id });
}

/** Loads and decrypts a client, or throws SUITE_NOT_FOUND. */
export async function loadClient(kernel: Kernel, id: number): Promise<ClientRecord> {
  const r = await kernel.db('platform_clients').where({ id }).first();
  if (!r) throw notFound('client', id);
  return {
    id: Number(r.id), brandId: Number(r.brand_id), status: r.status, details: await unseal<PersonalDetails>(kernel.keyring, r.personal_enc),
    createdAt: Number(r.created_at), closedAt: r.closed_at === null ? null : Number(r.closed_at),
  };
}

/** Loads an active client with readable details, or throws (unknown, closed or erased). */
export async function loadActiveClient(kernel: Kernel, id: number, what: string): Promise<ClientRecord & { details: PersonalDetails }> {
  const c = await loadClient(kernel, id);
  if (c.status !== 'active' || !c.details) throw stateError(what, 'clientClosed');
  return c as ClientRecord & { details: PersonalDetails };
}

/** Loads a service, or throws SUITE_NOT_FOUND. */
export async function loadService(db: Knex | Knex.Transaction, id: number): Promise<ServiceRecord> {
  const r = await db('platform_services').where({ id }).first();
  if (!r) throw notFound('service', id);
  return { id: Number(r.id), brandId: Number(r.brand_id), clientId: Number(r.client_id), product: r.product, domain: r.domain, status: r.status, amount: Number(r.amount) };
}

/** Loads a domain, or throws SUITE_NOT_FOUND. */
export async function loadDomain(db: Knex | Knex.Transaction, id: number): Promise<DomainRecord> {
  const r = await db('platform_domains').where({ id }).first();
  if (!r) throw notFound('domain', id);
  return {
    id: Number(r.id), brandId: Number(r.brand_id), clientId: Number(r.client_id), name: r.name, status: r.status, idprotection: Boolean(r.idprotection),
    regperiod: Number(r.regperiod), expiryAt: r.expiry_at === null ? null : Number(r.expiry_at),
  };
}

/** Loads an invoice, or throws SUITE_NOT_FOUND. */
export async function loadInvoice(db: Knex | Knex.Transaction, id: number): Promise<InvoiceRecord> {
  const r = await db('platform_invoices').where({ id }).first();
  if (!r) throw notFound('invoice', id);
  return {
    id: Number(r.id), brandId: Number(r.brand_id), clientId: Number(r.client_id), orderId: r.order_id === null ? null : Number(r.order_id),
    payerId: r.payer_id === null ? null : Number(r.payer_id), total: Number(r.total), status: r.status, paidAt: r.paid_at === null ? null : Number(r.paid_at), createdAt: Number(r.created_at),
  };
}

/** The id of a row just inserted (SQLite and MySQL both answer `[id]`). */
export function insertedId(ids: unknown[]): number {
  const first = ids[0] as number | { id: number };
  return Number(typeof first === 'object' ? first.id : first);
}
