/** Client lifecycle: sign-up (ClientDetailsValidation, ClientAdd), edit (ClientEdit), contacts (ContactAdd), close (ClientClose), delete (PreDeleteClient). */
import type { Kernel } from '../../../core/kernel';
import type { HookRunner } from '../hook-runner';
import { hashPassword } from '../password';
import { ClientUpdate, Id, PersonalDetails, SignUpInput, parse, type CallFacts } from '../schemas';
import { insertedId, loadActiveClient, loadClient, seal } from '../store';
import { stateError } from '../errors';

/** What the client lifecycle functions need. */
export interface LifecycleDeps { kernel: Kernel; hooks: HookRunner }

function contactVars(d: PersonalDetails): Record<string, unknown> {
  const { firstname, lastname, companyname, email, address1, address2, city, state, postcode, country, phonenumber, tax_id } = d;
  return { firstname, lastname, companyname, email, address1, address2, city, state, postcode, country, phonenumber, tax_id };
}

async function emailTaken(kernel: Kernel, brandId: number, emailHash: string, exceptId?: number): Promise<boolean> {
  let q = kernel.db('platform_clients').where({ brand_id: brandId, email_hash: emailHash });
  if (exceptId) q = q.whereNot({ id: exceptId });
  return Boolean(await q.first('id'));
}

/** Signs a client up on a brand: validates, hashes the password, stores encrypted details, fires ClientAdd. */
export async function signUp(d: LifecycleDeps, brandSlug: string, raw: unknown, facts?: CallFacts): Promise<{ clientId: number; subjectId: number | null; failures: number }> {
  const { kernel } = d;
  const input = parse(SignUpInput, raw, 'details');
  const { password, marketing_emails_opt_in, accepttos, terms_version_shown, privacy_version_shown, ...details } = input;
  // MS-2 / SP-3: the consents given on the form, with the versions it showed; the validation hook refuses an unknown version.
  const consents = { marketing_emails_opt_in, accepttos, terms_version_shown, privacy_version_shown };
  const call = await d.hooks.context(brandSlug, facts);
  const emailHash = kernel.keyring.blindIndex(details.email);
  if (await emailTaken(kernel, call.brand.id, emailHash)) throw stateError('signUp', 'emailTaken');
  const passwordHash = await hashPassword(password);
  const pre = await d.hooks.preparePre('ClientDetailsValidation', call, { ...contactVars(details), ...consents });
  const ts = Date.now();
  const clientId = await kernel.db.transaction(async (trx) => {
    await d.hooks.runPre(pre, trx);
    const id = insertedId(await trx('platform_clients').insert({
      brand_id: call.brand.id, status: 'active', personal_enc: seal(kernel.keyring, details), email_hash: emailHash,
      password_hash: passwordHash, created_at: ts, updated_at: ts,
    }));
    await trx('platform_activity_log').insert({ brand_id: call.brand.id, client_id: id, action: 'signup', ip_enc: call.ip ? kernel.keyring.encryptSync(call.ip) : null, created_at: ts });
    return id;
  });
  const res = await d.hooks.after('ClientAdd', call, { client_id: clientId, user_id: clientId, ...contactVars(details), language: details.language, ...consents });
  const subjectId = res.data?.subjectId;
  return { clientId, subjectId: typeof subjectId === 'number' ? subjectId : null, failures: res.failures };
}

/** Changes a client's details and fires ClientEdit. */
export async function updateClient(d: LifecycleDeps, clientId: number, raw: unknown, facts?: CallFacts): Promise<{ clientId: number }> {
  const { kernel } = d;
  parse(Id, clientId, 'clientId');
  const changes = parse(ClientUpdate, raw, 'changes');
  const client = await loadActiveClient(kernel, clientId, 'updateClient');
  const merged: PersonalDetails = { ...client.details, ...changes };
  const emailHash = kernel.keyring.blindIndex(merged.email);
  if (changes.email && (await emailTaken(kernel, client.brandId, emailHash, clientId))) throw stateError('updateClient', 'emailTaken');
  const call = await d.hooks.context(await kernel.brands.getById(client.brandId), facts);
  await kernel.keyring.activeKeyId();
  await kernel.db.transaction(async (trx) => {
    const n = await trx('platform_clients').where({ id: clientId, status: 'active' }).update({ personal_enc: seal(kernel.keyring, merged), email_hash: emailHash, updated_at: Date.now() });
    if (!n) throw stateError('updateClient', 'clientClosed');
  });
  await d.hooks.after('ClientEdit', call, { userid: clientId, ...contactVars(merged), language: merged.language, status: 'Active' });
  return { clientId };
}

/** Adds a contact to a client and fires ContactAdd. */
export async function addContact(d: LifecycleDeps, clientId: number, raw: unknown, facts?: CallFacts): Promise<{ contactId: number }> {
  const { kernel } = d;
  parse(Id, clientId, 'clientId');
  const details = parse(PersonalDetails, raw, 'details');
  const client = await loadActiveClient(kernel, clientId, 'addContact');
  const call = await d.hooks.context(await kernel.brands.getById(client.brandId), facts);
  await kernel.keyring.activeKeyId();
  const contactId = await kernel.db.transaction(async (trx) => insertedId(await trx('platform_contacts').insert({
    client_id: clientId, personal_enc: seal(kernel.keyring, details), email_hash: kernel.keyring.blindIndex(details.email), created_at: Date.now(),
  })));
  await d.hooks.after('ContactAdd', call, { userid: clientId, contactid: contactId, ...contactVars(details) });
  return { contactId };
}

/** Closes a client account (its live services are cancelled) and fires ClientClose. */
export async function closeClient(d: LifecycleDeps, clientId: number, facts?: CallFacts): Promise<{ clientId: number; cancelledServices: number }> {
  const { kernel } = d;
  parse(Id, clientId, 'clientId');
  const client = await loadClient(kernel, clientId);
  if (client.status !== 'active') throw stateError('close', 'clientClosed');
  const call = await d.hooks.context(await kernel.brands.getById(client.brandId), facts);
  const ts = Date.now();
  const cancelledServices = await kernel.db.transaction(async (trx) => {
    const n = await trx('platform_clients').where({ id: clientId, status: 'active' }).update({ status: 'closed', closed_at: ts, updated_at: ts });
    if (!n) throw stateError('close', 'clientClosed');
    const cancelled: number = await trx('platform_services').where({ client_id: clientId }).whereIn('status', ['active', 'suspended'])
      .update({ status: 'cancelled', status_reason: 'account-closed', updated_at: ts });
    return cancelled;
  });
  await d.hooks.after('ClientClose', call, { userid: clientId });
  return { clientId, cancelledServices };
}

/** Deletes a client and everything that hangs off it, after PreDeleteClient ran inside the same transaction. */
export async function deleteClient(d: LifecycleDeps, clientId: number, facts?: CallFacts): Promise<{ clientId: number; deleted: true }> {
  const { kernel } = d;
  parse(Id, clientId, 'clientId');
  const client = await loadClient(kernel, clientId);
  const call = await d.hooks.context(await kernel.brands.getById(client.brandId), facts);
  const pre = await d.hooks.preparePre('PreDeleteClient', call, { userid: clientId });
  await kernel.db.transaction(async (trx) => {
    await d.hooks.runPre(pre, trx);
    for (const table of ['platform_activity_log', 'platform_invoices', 'platform_domains', 'platform_services', 'platform_orders', 'platform_contacts']) {
      await trx(table).where({ client_id: clientId }).delete();
    }
    await trx('platform_clients').where({ id: clientId }).delete();
  });
  return { clientId, deleted: true };
}
