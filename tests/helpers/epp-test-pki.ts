/** Test PKI made with the openssl CLI, once per test process: a self-signed server cert, a client CA and client certs. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** PEM files of the test PKI. */
export interface TestPki { dir: string; serverCert: string; serverKey: string; clientCa: string; clientCert: string; clientKey: string; rogueCert: string; rogueKey: string }

let cached: TestPki | null = null;

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Generates (or returns) the PKI: server cert for localhost/127.0.0.1, a client CA, a client cert it signed, and a rogue self-signed client cert. */
export function testPki(): TestPki {
  if (cached) return cached;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psuite-epp-pki-'));
  openssl(dir, ['req', '-x509', ...EC, '-keyout', 'server.key', '-out', 'server.crt', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1']);
  openssl(dir, ['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Test Registry Client CA']);
  openssl(dir, ['req', ...EC, '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=registrar-test']);
  openssl(dir, ['x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.crt', '-days', '2']);
  openssl(dir, ['req', '-x509', ...EC, '-keyout', 'rogue.key', '-out', 'rogue.crt', '-days', '2', '-subj', '/CN=rogue']);
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  cached = {
    dir, serverCert: read('server.crt'), serverKey: read('server.key'), clientCa: read('ca.crt'),
    clientCert: read('client.crt'), clientKey: read('client.key'), rogueCert: read('rogue.crt'), rogueKey: read('rogue.key'),
  };
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return cached;
}
