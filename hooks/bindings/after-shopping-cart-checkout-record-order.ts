/** Record that the client placed an order, from which cart-abandoned retention rules count while nothing is paid (MS-9). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'after-shopping-cart-checkout-record-order',
  hook: 'AfterShoppingCartCheckout',
  module: 'inventory',
  action: 'recordOrderPlaced',
  priority: 30,
  enabledByDefault: true,
  description: "Record when the client last placed an order (the order-placed event), from which cart-abandoned retention rules count while it has paid no invoice (MS-9); the order also voids a recorded end of the client's last service (service-ended). Only the time: nothing of the order is stored.",
});
