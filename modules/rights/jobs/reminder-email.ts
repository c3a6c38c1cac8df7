/** 'rights.due-reminder': renders and sends the controller's reminder (ids, types, due dates) through the mailer. */
import { resolveLocale, t } from '../../../core/i18n';
import type { OutboxDeliverer } from '../../../core/modules/define-module';
import { renderEmailTemplate } from '../../../core/templates/email-template';
import type { MailerService } from '../../mailer/public';
import { RequestType } from '../requests/request-types';
import type { ReminderItem } from './due-reminder-job';

/** Sends the reminder to the address the job chose (the controller's). */
export const deliverDueReminder: OutboxDeliverer = async (msg, kernel) => {
  const brand = await kernel.brands.getById(msg.brandId);
  const profile = await kernel.brands.profile(brand);
  const locale = resolveLocale(typeof msg.payload.locale === 'string' ? msg.payload.locale : profile.locale);
  const items = (Array.isArray(msg.payload.requests) ? msg.payload.requests : []) as ReminderItem[];
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const list = items.map((i) => t(locale, 'rights.reminder.line', {
    id: Number(i.id), type: t(locale, `rights.reminder.type.${RequestType.parse(i.type)}`), due: date.format(new Date(Number(i.dueAt))),
    state: t(locale, i.overdue ? 'rights.reminder.overdue' : 'rights.reminder.nearDue'),
  })).join('\n');
  const overdue = items.filter((i) => i.overdue).length;
  const mail = renderEmailTemplate('rights-due-reminder', locale, {
    brand: brand.name, controller: profile.controller?.name ?? brand.name, count: items.length, overdue, nearDue: items.length - overdue, list,
  });
  await kernel.service<MailerService>('mailer').send({
    brandId: brand.id, to: String(msg.payload.to), ...mail, idempotencyKey: msg.idempotencyKey,
    headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': locale },
  });
};
