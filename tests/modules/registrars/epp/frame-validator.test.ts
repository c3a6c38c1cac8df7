/** The EPP test server's frame check itself: libxml2 (WebAssembly) against spec/standards/epp/all.xsd, no xmllint binary. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EPP_ALL_XSD, loadSchemaSet, validateEppFrame, workersStarted } from '../../../helpers/epp-frame-validator';

const contactCreate = (id: string, email = '<contact:email>jane@example.test</contact:email>') => `<?xml version="1.0" encoding="UTF-8"?>
<epp xmlns="urn:ietf:params:xml:ns:epp-1.0"><command><create>
<contact:create xmlns:contact="urn:ietf:params:xml:ns:contact-1.0">
  <contact:id>${id}</contact:id>
  <contact:postalInfo type="loc"><contact:name>Jäne Doe</contact:name>
    <contact:addr><contact:street>1 Main St</contact:street><contact:city>Köln</contact:city><contact:cc>DE</contact:cc></contact:addr>
  </contact:postalInfo>
  <contact:voice>+49.2211234567</contact:voice>
  ${email}
  <contact:authInfo><contact:pw>2fooBAR!</contact:pw></contact:authInfo>
  <contact:disclose flag="0"><contact:voice/><contact:email/></contact:disclose>
</contact:create></create><clTRID>ABC-12345</clTRID></command></epp>`;

let savedPath: string | undefined;
beforeAll(() => { savedPath = process.env.PATH; process.env.PATH = '/nonexistent'; }); // nothing to spawn: no xmllint binary
afterAll(() => { process.env.PATH = savedPath; });

test('a valid contact:create frame passes (null), with no xmllint binary on PATH', async () => {
  expect(await validateEppFrame(contactCreate('jd-4711'))).toBeNull();
});

test("a contact id of 1 character is rejected with libxml2's facet message", async () => {
  expect(await validateEppFrame(contactCreate('j'))).toMatch(
    /frame\.xml:\d+: .*Schemas validity error : Element '\{urn:ietf:params:xml:ns:contact-1\.0\}id': \[facet 'minLength'\] The value (?:'j' )?has a length of '1'; this underruns the allowed minimum length of '3'/,
  );
});

test("a frame missing a required element (contact:email) is rejected with libxml2's message naming it", async () => {
  expect(await validateEppFrame(contactCreate('jd-4711', ''))).toMatch(
    /Element '\{urn:ietf:params:xml:ns:contact-1\.0\}authInfo': This element is not expected\. Expected is .*\{urn:ietf:params:xml:ns:contact-1\.0\}email/,
  );
});

test('a misspelt element and a frame that is not well-formed XML are rejected', async () => {
  const bad = '<epp xmlns="urn:ietf:params:xml:ns:epp-1.0"><command><check><domain:check xmlns:domain="urn:ietf:params:xml:ns:domain-1.0"><domain:nam>a.test</domain:nam></domain:check></check></command></epp>';
  expect(await validateEppFrame(bad)).toMatch(/'\{urn:ietf:params:xml:ns:domain-1\.0\}nam': This element is not expected/);
  expect(await validateEppFrame(bad.replace(/domain:nam>/g, 'domain:name>'))).toBeNull();
  expect(await validateEppFrame('<epp xmlns="urn:ietf:params:xml:ns:epp-1.0"><hello>')).toMatch(/frame\.xml:1: parser error/);
});

test('the schema set is all.xsd plus every schema it imports, transitively, under the names the imports use', () => {
  const set = loadSchemaSet(EPP_ALL_XSD);
  expect(set.main.fileName).toBe('all.xsd');
  expect(set.preload.map((f) => f.fileName).sort()).toEqual(
    ['contact-1.0.xsd', 'domain-1.0.xsd', 'epp-1.0.xsd', 'eppcom-1.0.xsd', 'host-1.0.xsd', 'rgp-1.0.xsd', 'secDNS-1.0.xsd'],
  );
});

test('absent schemas make every frame fail, naming the missing file (never a silent pass)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'epp-xsd-'));
  try {
    for (const f of fs.readdirSync(path.dirname(EPP_ALL_XSD))) if (f !== 'eppcom-1.0.xsd') fs.copyFileSync(path.join(path.dirname(EPP_ALL_XSD), f), path.join(dir, f));
    expect(await validateEppFrame(contactCreate('jd-4711'), path.join(dir, 'all.xsd'))).toMatch(/EPP schema .*eppcom-1\.0\.xsd \(imported by epp-1\.0\.xsd\) is absent/);
    expect(await validateEppFrame(contactCreate('jd-4711'), path.join(dir, 'missing.xsd'))).toMatch(/missing\.xsd .* is absent/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('many frames, one worker: the WebAssembly is compiled once per test file, and concurrent frames each get their own answer', async () => {
  const ids = Array.from({ length: 20 }, (_, i) => (i % 5 === 0 ? 'x' : `jd-${1000 + i}`));
  const results = await Promise.all(ids.map((id) => validateEppFrame(contactCreate(id))));
  expect(results.map((r) => r === null)).toEqual(ids.map((id) => id !== 'x'));
  expect(workersStarted()).toBe(1); // ~20 ms a frame here; xmllint-wasm's validateXML starts a worker per frame (~130 ms)
});
