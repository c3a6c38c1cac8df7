/** The inventory subject a domain's registrant data belongs to: the WHMCS client (`params.userid`), recorded if not yet known. */
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';

/** The client's subject id, or null when the params name no client. */
export async function clientSubjectId(kernel: Kernel, trx: Knex.Transaction, brandId: number, params: Record<string, unknown>): Promise<number | null> {
  const userid = params.userid;
  if (userid === undefined || userid === null || userid === '') return null;
  const found = await kernel.subjects.findByExternal(brandId, 'client', String(userid), trx);
  if (found) return found.id;
  const p = (k: string) => (typeof params[k] === 'string' || typeof params[k] === 'number' ? String(params[k]) : undefined);
  const { id } = await kernel.subjects.upsert(trx, {
    brandId, kind: 'client', externalId: String(userid),
    fields: { firstname: p('firstname'), lastname: p('lastname'), companyname: p('companyname'), email: p('email'), address1: p('address1'), address2: p('address2'), city: p('city'), state: p('state'), postcode: p('postcode'), country: p('countrycode'), phonenumber: p('fullphonenumber') },
  });
  return id;
}
