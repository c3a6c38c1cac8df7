/** The Stripe gateway's personal-data provider: the kit's export and local erasure, Stripe's side through the outbox, rectification. */
import type { PersonalDataProvider } from '../../../core/modules/define-module';
import { gatewayPersonalData } from '../kit/personal-data';
import { queueStripeErasure, rectifyAtStripe } from './erasure';

export const stripePersonalData: PersonalDataProvider = {
  ...gatewayPersonalData('stripe', queueStripeErasure),
  rectify: (subjectId, changes, { kernel, trx, brand, profile }) => rectifyAtStripe(kernel, trx, subjectId, changes, brand, profile),
};
