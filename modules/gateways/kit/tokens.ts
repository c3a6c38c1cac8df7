/**
 * The `payment-token` category (TOS-1.2, SP-8): what a gateway keeps of how a person paid — the processor's customer,
 * payment-method or vault ids and the card's brand, last four digits and expiry — sealed with the keyring, one row per
 * subject and processor customer. Never a card number, never a CVC.
 */
import type { Knex } from 'knex';
import type { Keyring } from '../../../core/crypto/keyring';
import type { GatewayName } from './contract';
import { gatewayTables } from './tables';

/** One token record. Stripe fills customerId / paymentMethodId and the card; PayPal vaultTokenId / payerId. */
export interface PaymentToken {
  customerId?: string;
  paymentMethodId?: string;
  vaultTokenId?: string;
  payerId?: string;
  cardBrand?: string;
  last4?: string;
  expMonth?: number;
  expYear?: number;
}

/** A stored token with its row id and subject. */
export interface StoredToken { id: number; brandId: number; subjectId: number; token: PaymentToken; createdAt: number }

const ALLOWED: (keyof PaymentToken)[] = ['customerId', 'paymentMethodId', 'vaultTokenId', 'payerId', 'cardBrand', 'last4', 'expMonth', 'expYear'];

/** Keeps only the token's known fields, and refuses anything that is not a last four (a stray full number never gets in). */
export function cleanToken(t: PaymentToken): PaymentToken {
  const out: PaymentToken = {};
  for (const k of ALLOWED) if (t[k] !== undefined && t[k] !== null && t[k] !== '') (out as Record<string, unknown>)[k] = t[k];
  if (out.last4 !== undefined && !/^\d{4}$/.test(out.last4)) delete out.last4;
  return out;
}

export class PaymentTokens {
  private readonly table: string;
  constructor(readonly gateway: GatewayName, private readonly keyring: Keyring) { this.table = gatewayTables(gateway).tokens; }

  private hash(customerOrPayer: string | undefined): string | null {
    return customerOrPayer ? this.keyring.blindIndex(customerOrPayer, `${this.gateway}-customer`) : null;
  }

  /** Saves (or refreshes) a subject's token; the same processor customer and subject keep one row. */
  async save(trx: Knex.Transaction, p: { brandId: number; subjectId: number; token: PaymentToken }): Promise<number> {
    const token = cleanToken(p.token);
    const customerHash = this.hash(token.customerId ?? token.payerId);
    const now = Date.now();
    const sealed = this.keyring.encryptSync(JSON.stringify(token));
    if (customerHash) {
      const found = (await trx(this.table).where({ brand_id: p.brandId, subject_id: p.subjectId, customer_hash: customerHash }).first('id')) as { id: number } | undefined;
      if (found) {
        await trx(this.table).where({ id: found.id }).update({ token_enc: sealed, updated_at: now });
        return Number(found.id);
      }
    }
    const [id] = await trx(this.table).insert({ brand_id: p.brandId, subject_id: p.subjectId, token_enc: sealed, customer_hash: customerHash, created_at: now, updated_at: now });
    return Number(id);
  }

  /** The tokens of some subjects, decrypted (inside a transaction the keyring's sync path is used). */
  async ofSubjects(db: Knex | Knex.Transaction, subjectIds: number[]): Promise<StoredToken[]> {
    if (!subjectIds.length) return [];
    const rows = (await db(this.table).whereIn('subject_id', subjectIds).orderBy('id')) as { id: number; brand_id: number; subject_id: number; token_enc: string; created_at: number | string }[];
    return rows.map((r) => ({ id: Number(r.id), brandId: Number(r.brand_id), subjectId: Number(r.subject_id), token: JSON.parse(this.keyring.decryptSync(r.token_enc)) as PaymentToken, createdAt: Number(r.created_at) }));
  }

  /** The subjects holding a processor customer (or payer) id on a brand. */
  async subjectsOfCustomer(db: Knex | Knex.Transaction, brandId: number, customerOrPayer: string): Promise<number[]> {
    const rows = (await db(this.table).where({ brand_id: brandId, customer_hash: this.hash(customerOrPayer) }).select('subject_id')) as { subject_id: number }[];
    return [...new Set(rows.map((r) => Number(r.subject_id)))];
  }

  /** Deletes the tokens of some subjects; answers how many rows went. */
  async deleteOf(trx: Knex.Transaction, subjectIds: number[]): Promise<number> {
    if (!subjectIds.length) return 0;
    return trx(this.table).whereIn('subject_id', subjectIds).delete();
  }

  /** The table's encrypted column, for key rotation (`encryptedColumns` in the module definition). */
  static encryptedColumns(gateway: GatewayName): { table: string; id: string; columns: string[] } {
    return { table: gatewayTables(gateway).tokens, id: 'id', columns: ['token_enc'] };
  }
}
