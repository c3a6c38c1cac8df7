/** The Stripe gateway's tables (stripe_payments, stripe_events, stripe_tokens), in the kit's shape. */
import { createGatewayTables } from '../../kit/tables';

export const createStripeTables = createGatewayTables('stripe', '202612240100-create-stripe-tables');
