/** Due dates (MS-8c, WSM-25): business days per brand with the profile's holidays, the country's public holidays, the weekend, and the GDPR/CCPA presets; extensions with a reason. */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_PROFILE } from '../../../core/profile/defaults';
import { mergeLayers } from '../../../core/profile/merge';
import { PrivacyProfile } from '../../../core/profile/schema';
import type { RightsService } from '../../../modules/rights/rights-service';
import { addBusinessDays, businessDaysBetween, calendarOf, dueDate, isBusinessDay } from '../../../modules/rights/requests/due-date';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey, RIGHTS_PROFILE, rightsBrand, rightsCall, signUp } from './fixtures';

const PROFILES = path.resolve(__dirname, '..', '..', '..', 'scripts', 'demo', 'profiles');
const demo = (slug: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(PROFILES, `${slug}.json`), 'utf8')) as Record<string, unknown>;
/** An effective profile from partial layers, as the brand service merges them. */
const profile = (...layers: Record<string, unknown>[]): PrivacyProfile => PrivacyProfile.parse(mergeLayers(DEFAULT_PROFILE, ...layers));
/** Noon UTC of a day, and the end (23:59:59.999 UTC) of a day. */
const at = (day: string): number => Date.parse(`${day}T12:00:00Z`);
const endOf = (day: string): number => Date.parse(`${day}T23:59:59.999Z`);
const iso = (ms: number): string => new Date(ms).toISOString();

const masterserver = profile(demo('masterserver'));
const plain = profile({ controller: { name: 'Plain Ltd', email: 'dpo@plain.example' }, rights: { dueBusinessDays: 3 } });

describe('MS-8c: due dates in business days', () => {
  it('MS-8c: MasterServer (3 business days, AE): a request on a Friday is due the following Wednesday, end of day', () => {
    expect(masterserver.rights.dueBusinessDays).toBe(3);
    expect(new Date(at('2026-10-02')).getUTCDay()).toBe(5);
    expect(iso(dueDate(masterserver, at('2026-10-02')))).toBe(iso(endOf('2026-10-07')));
    // Late on the Friday counts as the Friday; just after midnight on Saturday counts as Saturday (still due Wednesday).
    expect(iso(dueDate(masterserver, Date.parse('2026-10-02T23:59:00Z')))).toBe(iso(endOf('2026-10-07')));
    expect(iso(dueDate(masterserver, Date.parse('2026-10-03T00:01:00Z')))).toBe(iso(endOf('2026-10-07')));
    // A Monday: Thursday.
    expect(iso(dueDate(masterserver, at('2026-10-05')))).toBe(iso(endOf('2026-10-08')));
  });

  it('MS-8c: the holidays listed in the profile are skipped (MasterServer, National Day 1–3 December 2026)', () => {
    expect(masterserver.rights.holidays).toEqual(expect.arrayContaining(['2026-12-01', '2026-12-02', '2026-12-03']));
    // Monday 30 November: Tue–Thu are holidays, so Fri 4, Mon 7, Tue 8.
    expect(iso(dueDate(masterserver, at('2026-11-30')))).toBe(iso(endOf('2026-12-08')));
    // The same day without the listed holidays and without a country calendar: Thursday 3 December.
    expect(iso(dueDate(plain, at('2026-11-30')))).toBe(iso(endOf('2026-12-03')));
    // Eid al-Fitr, 20–22 March 2026, is listed (Fri–Sun): Thursday 19 March → Mon 23, Tue 24, Wed 25.
    expect(iso(dueDate(masterserver, at('2026-03-19')))).toBe(iso(endOf('2026-03-25')));
  });

  it("MS-8c: a country's public holidays from date-holidays are skipped when holidayCountry is set (DE: 25 and 26 December)", () => {
    const de = profile({ controller: { name: 'Shop GmbH', email: 'dpo@shop.example' }, rights: { dueBusinessDays: 3, holidayCountry: 'DE' } });
    const cal = calendarOf(de);
    expect(isBusinessDay(cal, at('2026-12-25'))).toBe(false);
    expect(isBusinessDay(cal, at('2026-12-26'))).toBe(false);
    // date-holidays marks 24 and 31 December as 'bank' days in Germany: banks close, but they are working days.
    expect(isBusinessDay(cal, at('2026-12-24'))).toBe(true);
    expect(isBusinessDay(cal, at('2026-12-31'))).toBe(true);
    // Wednesday 23 December: Thu 24, (Fri 25 holiday, weekend), Mon 28, Tue 29.
    expect(iso(dueDate(de, at('2026-12-23')))).toBe(iso(endOf('2026-12-29')));
    expect(iso(dueDate(plain, at('2026-12-23')))).toBe(iso(endOf('2026-12-28')));
  });

  it("MS-8c: without holidayCountry the controller's country is used (GB bank holidays), and holidayRegion adds regional ones (ENG)", () => {
    const gb = profile(RIGHTS_PROFILE, { rights: { dueBusinessDays: 3 } });
    expect(gb.controller?.country).toBe('GB');
    expect(calendarOf(gb).country).toBe('GB');
    // Thursday 24 December 2026: Christmas Fri 25, weekend, Boxing Day substitute Mon 28 → Tue 29, Wed 30, Thu 31.
    expect(iso(dueDate(gb, at('2026-12-24')))).toBe(iso(endOf('2026-12-31')));
    // Good Friday and Easter Monday 2026: Thursday 2 April → Tue 7, Wed 8, Thu 9.
    expect(iso(dueDate(gb, at('2026-04-02')))).toBe(iso(endOf('2026-04-09')));
    // The summer bank holiday (31 August 2026) is England's, not the whole country's.
    expect(iso(dueDate(gb, at('2026-08-28')))).toBe(iso(endOf('2026-09-02')));
    const eng = profile(RIGHTS_PROFILE, { rights: { dueBusinessDays: 3, holidayRegion: 'ENG' } });
    expect(iso(dueDate(eng, at('2026-08-28')))).toBe(iso(endOf('2026-09-03')));
    // holidayCountry overrides the controller's country.
    expect(calendarOf(profile(RIGHTS_PROFILE, { rights: { holidayCountry: 'DE' } })).country).toBe('DE');
  });

  it('MS-8c: the weekend comes from the profile (Friday and Saturday)', () => {
    const friSat = profile(demo('masterserver'), { rights: { weekend: [5, 6] } });
    // Thursday 1 October 2026: Fri and Sat are the weekend → Sun 4, Mon 5, Tue 6.
    expect(iso(dueDate(friSat, at('2026-10-01')))).toBe(iso(endOf('2026-10-06')));
    expect(isBusinessDay(calendarOf(friSat), at('2026-10-04'))).toBe(true);
    expect(isBusinessDay(calendarOf(friSat), at('2026-10-02'))).toBe(false);
    // From Tuesday 6 October: Wed 7, Thu 8, Sun 11 with a Friday/Saturday weekend; Wed 7, Thu 8, Fri 9 with Saturday/Sunday.
    expect(iso(dueDate(friSat, at('2026-10-06')))).toBe(iso(endOf('2026-10-11')));
    expect(iso(dueDate(masterserver, at('2026-10-06')))).toBe(iso(endOf('2026-10-09')));
  });

  it("MS-8c: the 'gdpr-month' preset is one calendar month (31 January → 28 February, or the 29th in a leap year)", () => {
    const gdpr = profile(RIGHTS_PROFILE, { rights: { dueRule: 'gdpr-month' } });
    expect(iso(dueDate(gdpr, at('2026-01-31')))).toBe(iso(endOf('2026-02-28')));
    expect(iso(dueDate(gdpr, at('2028-01-31')))).toBe(iso(endOf('2028-02-29')));
    expect(iso(dueDate(gdpr, at('2026-03-15')))).toBe(iso(endOf('2026-04-15')));
    expect(iso(dueDate(gdpr, at('2026-12-20')))).toBe(iso(endOf('2027-01-20')));
    expect(iso(dueDate(gdpr, at('2026-08-31')))).toBe(iso(endOf('2026-09-30')));
  });

  it("MS-8c: the 'ccpa-45-days' preset is 45 calendar days", () => {
    const ccpa = profile(RIGHTS_PROFILE, { rights: { dueRule: 'ccpa-45-days' } });
    expect(iso(dueDate(ccpa, at('2026-01-01')))).toBe(iso(endOf('2026-02-15')));
    expect(iso(dueDate(ccpa, at('2026-12-01')))).toBe(iso(endOf('2027-01-15')));
  });

  it("WSM-25: a reseller's removal order is due in the provider's resellerRemovalBusinessDays (30), whatever the person's due rule", () => {
    const provider = profile(demo('websoftmaster'));
    expect(provider.rights.resellerRemovalBusinessDays).toBe(30);
    const noHolidays = profile({ controller: { name: 'P', email: 'p@p.example' }, rights: { dueRule: 'gdpr-month', resellerRemovalBusinessDays: 30 } });
    // Monday 5 October 2026 + 30 business days (six weeks of five) = Monday 16 November.
    expect(iso(dueDate(noHolidays, at('2026-10-05'), 'reseller-removal'))).toBe(iso(endOf('2026-11-16')));
    // WebSoftMaster lists Columbus Day (12 October) and Veterans Day (11 November) as holidays: two more days.
    expect(provider.rights.holidays).toEqual(expect.arrayContaining(['2026-10-12', '2026-11-11']));
    expect(iso(dueDate(provider, at('2026-10-05'), 'reseller-removal'))).toBe(iso(endOf('2026-11-18')));
  });

  it('MS-8c: business days between two dates count forwards and backwards in the calendar', () => {
    const cal = calendarOf(masterserver);
    expect(businessDaysBetween(cal, at('2026-10-02'), endOf('2026-10-07'))).toBe(3);
    expect(businessDaysBetween(cal, at('2026-10-07'), at('2026-10-02'))).toBe(-3);
    expect(businessDaysBetween(cal, at('2026-11-30'), at('2026-12-08'))).toBe(3);
    expect(businessDaysBetween(cal, at('2026-10-02'), at('2026-10-02'))).toBe(0);
    expect(iso(addBusinessDays(cal, at('2026-10-07'), 0))).toBe(iso(endOf('2026-10-07')));
  });

  it('a weekend of all seven days does not hang the calendar', () => {
    const never = profile(RIGHTS_PROFILE, { rights: { weekend: [0, 1, 2, 3, 4, 5, 6] } });
    expect(dueDate(never, at('2026-10-02'))).toBeGreaterThan(at('2036-01-01'));
  });
});

describe('MS-8c: due dates through the API', () => {
  let t: TestSuite;
  let key: string;
  const rights = () => t.suite.kernel.service<RightsService>('rights');

  beforeAll(async () => {
    t = await startTestSuite();
    const ms = demo('masterserver');
    await rightsBrand(t.suite, 'ms', { controller: ms.controller, rights: ms.rights });
    key = await adminKey(t.suite);
  });
  afterAll(async () => t?.close());

  it('MS-8c: a request received on Friday 2 October 2026 at a brand with dueBusinessDays 3 shows dueAt Wednesday 7 October, end of day', async () => {
    const { subjectId } = await signUp(t.suite, 'ms', 1);
    const brand = await t.suite.kernel.brands.get('ms');
    const opened = await rights().open(brand, { type: 'access', subjectId }, { source: 'admin', actor: { type: 'cli', id: 'test' }, now: at('2026-10-02') });
    const read = await rightsCall(t.baseUrl, key, 'ms', 'GET', `/requests/${opened.id}`);
    expect(read.status).toBe(200);
    expect(iso(read.body.request.dueAt)).toBe('2026-10-07T23:59:59.999Z');
    expect(read.body.request.originalDueAt).toBe(read.body.request.dueAt);
    expect(read.body.request.createdAt).toBe(at('2026-10-02'));
    expect(read.body.events[0]).toMatchObject({ event: 'received', details: { dueAt: endOf('2026-10-07') } });
  });

  it('MS-8c: an admin-opened request is due dueBusinessDays business days from today in the brand calendar', async () => {
    const before = Date.now();
    const open = await rightsCall(t.baseUrl, key, 'ms', 'POST', '/requests', { type: 'confirm', email: 'ada.1@example.org' });
    expect(open.status).toBe(201);
    const brand = await t.suite.kernel.brands.get('ms');
    expect(open.body.request.dueAt).toBe(dueDate(await t.suite.kernel.brands.profile(brand), before));
    expect(businessDaysBetween(calendarOf(await t.suite.kernel.brands.profile(brand)), before, open.body.request.dueAt)).toBe(3);
  });

  it('MS-8c: an extension moves the due date by N business days and records its reason on the request and in the timeline', async () => {
    const brand = await t.suite.kernel.brands.get('ms');
    const opened = await rights().open(brand, { type: 'access', email: 'ada.1@example.org' }, { source: 'admin', actor: { type: 'cli', id: 'test' }, now: at('2026-11-26') });
    // Thursday 26 November → Fri 27, Mon 30, (1–3 December listed), Fri 4 December.
    expect(iso(opened.dueAt)).toBe('2026-12-04T23:59:59.999Z');
    const noReason = await rightsCall(t.baseUrl, key, 'ms', 'POST', `/requests/${opened.id}/extend`, { businessDays: 2 });
    expect(noReason.status).toBe(400);
    expect(noReason.body.fields.map((f: { field: string }) => f.field)).toContain('reason');
    const ext = await rightsCall(t.baseUrl, key, 'ms', 'POST', `/requests/${opened.id}/extend`, { businessDays: 2, reason: 'Invoices must be retrieved from the archive' });
    expect(ext.status).toBe(200);
    // Friday 4 December + 2 business days = Tuesday 8 December.
    expect(iso(ext.body.request.dueAt)).toBe('2026-12-08T23:59:59.999Z');
    expect(iso(ext.body.request.originalDueAt)).toBe('2026-12-04T23:59:59.999Z');
    expect(ext.body.request.extension).toMatchObject({ reason: 'Invoices must be retrieved from the archive' });
    const read = await rightsCall(t.baseUrl, key, 'ms', 'GET', `/requests/${opened.id}`);
    const event = read.body.events.find((e: { event: string }) => e.event === 'extended');
    expect(event.details).toMatchObject({ from: endOf('2026-12-04'), to: endOf('2026-12-08'), businessDays: 2, reason: 'Invoices must be retrieved from the archive' });
    const audit = await t.suite.kernel.db('audit_log').where({ action: 'rights.request.extended', target_id: String(opened.id) }).first();
    expect(audit).toBeDefined();
    // A closed request cannot be extended.
    await rightsCall(t.baseUrl, key, 'ms', 'POST', `/requests/${opened.id}/reject`, { reason: 'Duplicate of an earlier request' });
    const late = await rightsCall(t.baseUrl, key, 'ms', 'POST', `/requests/${opened.id}/extend`, { businessDays: 2, reason: 'Too late now' });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('SUITE_RIGHTS_REQUEST_CLOSED');
  });
});
