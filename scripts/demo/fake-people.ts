/** Deterministic synthetic customers: the same index always gives the same person; emails only on example.org / .test. */

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Linus', 'Margaret', 'Dennis', 'Hedy', 'Tim', 'Katherine', 'Niklaus', 'Sophie', 'John', 'Evelyn', 'Leslie'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman', 'Torvalds', 'Hamilton', 'Ritchie', 'Lamarr', 'Berners', 'Johnson', 'Wirth', 'Wilson', 'Backus', 'Berry', 'Lamport'];
const CITIES = ['Springfield', 'Riverton', 'Lakeside', 'Hillview', 'Fairmont', 'Brookfield', 'Oakridge', 'Maplewood'];
const COMPANIES = ['Acme Widgets', 'Globex', 'Initech', 'Umbrella Labs', 'Hooli', 'Vandelay Imports'];

/** One synthetic customer's sign-up details. */
export interface FakePerson {
  firstname: string; lastname: string; companyname?: string; email: string; address1: string; city: string; postcode: string;
  country: string; phonenumber: string; password: string; marketing_emails_opt_in: boolean; accepttos: boolean; dateOfBirth: string;
}

/** The `i`-th customer of a brand (deterministic). */
export function fakePerson(brandSlug: string, i: number, countries: string[]): FakePerson {
  const firstname = FIRST[i % FIRST.length];
  const lastname = LAST[(i * 7 + brandSlug.length) % LAST.length];
  const company = i % 4 === 2 ? COMPANIES[i % COMPANIES.length] : undefined;
  return {
    firstname, lastname, companyname: company,
    email: `${firstname}.${lastname}.${i}+${brandSlug}@example.org`.toLowerCase(),
    address1: `${10 + ((i * 13) % 190)} Example Street`,
    city: CITIES[(i + brandSlug.length) % CITIES.length],
    postcode: String(10000 + ((i * 7919) % 89999)),
    country: countries[i % countries.length],
    phonenumber: `555${String(1000000 + ((i * 104729) % 8999999)).slice(0, 7)}`,
    password: `demo-only-password-${i}`,
    marketing_emails_opt_in: i % 3 !== 1,
    accepttos: true,
    dateOfBirth: `${1960 + (i % 40)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
  };
}

/** A third party who pays a customer's invoice (an employer, a relative), on the .test domain. */
export function fakePayer(brandSlug: string, i: number): { firstname: string; lastname: string; companyname: string; email: string } {
  const firstname = FIRST[(i + 5) % FIRST.length];
  const lastname = LAST[(i + 11) % LAST.length];
  return { firstname, lastname, companyname: COMPANIES[(i + 1) % COMPANIES.length], email: `accounts.${i}@${brandSlug}-payer.test` };
}

/** A domain name for the `i`-th customer, on the reserved .test TLD. */
export function fakeDomain(brandSlug: string, p: FakePerson, i: number): string {
  return `${p.lastname}-${i}-${brandSlug}.test`.toLowerCase().replace(/[^a-z0-9.-]/g, '');
}
