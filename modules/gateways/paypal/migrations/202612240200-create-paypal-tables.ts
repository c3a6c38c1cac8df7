/** The PayPal gateway's tables (paypal_payments, paypal_events, paypal_tokens), the shape every gateway keeps. */
import { createGatewayTables } from '../../kit/tables';

export const createPaypalTables = createGatewayTables('paypal', '202612240200-create-paypal-tables');
