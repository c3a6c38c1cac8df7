/** Validates EPP frames with `xmllint --schema spec/standards/epp/all.xsd` (skipped, with a message, when the schemas are absent). */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The vendored schema that imports EPP, contact, domain, host, secDNS and rgp. */
export const EPP_ALL_XSD = path.resolve(__dirname, '../../spec/standards/epp/all.xsd');

/** Whether frames can be validated (the schemas are vendored). */
export const EPP_SCHEMAS_PRESENT = fs.existsSync(EPP_ALL_XSD);

let warned = false;

/** Validates one frame; resolves null when valid (or when validation is skipped), else xmllint's complaint. */
export function validateEppFrame(xml: string): Promise<string | null> {
  if (!EPP_SCHEMAS_PRESENT) {
    if (!warned) { warned = true; process.stderr.write(`EPP frame validation skipped: ${EPP_ALL_XSD} is absent\n`); }
    return Promise.resolve(null);
  }
  return new Promise((resolve) => {
    const p = spawn('xmllint', ['--noout', '--schema', EPP_ALL_XSD, '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('error', (e) => resolve(`xmllint could not run: ${e.message}`));
    p.on('close', (code) => resolve(code === 0 ? null : err.trim() || `xmllint exit ${code}`));
    p.stdin.end(xml);
  });
}
