/** Why a restriction ends (Art. 18(1) grounds resolved, or the person's own wish); no free text, so no personal data. */
import { z } from 'zod';

export const LiftReason = z.enum(['accuracy-verified', 'processing-lawful', 'objection-decided', 'subject-request', 'legal-claim-closed']);
export type LiftReason = z.infer<typeof LiftReason>;
