/** Record the client's last login, the event last-login retention rules count from (MS-9). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'user-login-record-last-login',
  hook: 'UserLogin',
  module: 'inventory',
  action: 'recordLogin',
  priority: 10,
  enabledByDefault: true,
  description: "Record the client's last login, the event last-login retention rules count from (MS-9).",
});
