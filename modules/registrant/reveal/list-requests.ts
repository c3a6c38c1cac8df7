/** Reveal requests of a brand, with the complainant and evidence decrypted for the admin (the read is audited by the route). */
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';

/** One request as the admin API shows it; `registryHold`: queued → placed, lift-queued → lifted, not-sent or kept (see suspension.ts). */
export interface RevealRequestView { id: number; domain: string; status: string; complainant: Record<string, string>; legalBasis: string; evidence: string; deadlineAt: number; createdAt: number; decidedAt: number | null; decidedBy: string | null; registryHold: string | null }

/** Lists requests newest first, optionally by status. */
export async function listRevealRequests(kernel: Kernel, brand: Brand, status?: string): Promise<RevealRequestView[]> {
  let q = kernel.db('registrant_reveal_requests').where({ brand_id: brand.id }).orderBy('id', 'desc').limit(500);
  if (status) q = q.where({ status });
  const out: RevealRequestView[] = [];
  for (const r of (await q) as Record<string, unknown>[]) {
    out.push({
      id: Number(r.id), domain: String(r.domain), status: String(r.status), complainant: JSON.parse(await kernel.keyring.decrypt(String(r.complainant_enc))) as Record<string, string>,
      legalBasis: String(r.legal_basis), evidence: await kernel.keyring.decrypt(String(r.evidence_enc)), deadlineAt: Number(r.deadline_at), createdAt: Number(r.created_at),
      decidedAt: r.decided_at === null ? null : Number(r.decided_at), decidedBy: (r.decided_by as string | null) ?? null,
      registryHold: (r.registry_hold as string | null) ?? null,
    });
  }
  return out;
}
