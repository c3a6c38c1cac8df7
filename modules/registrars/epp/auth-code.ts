/** Generates EPP auth info (transfer codes): 16 characters mixing letters, digits and symbols, as registries ask. */
import crypto from 'node:crypto';

const SETS = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#$%*+-=?@'];

/** A fresh random auth code with at least one character of each class. */
export function generateAuthCode(length = 16): string {
  const all = SETS.join('');
  const chars = SETS.map((s) => s[crypto.randomInt(s.length)]);
  while (chars.length < length) chars.push(all[crypto.randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i -= 1) { const j = crypto.randomInt(i + 1); [chars[i], chars[j]] = [chars[j], chars[i]]; }
  return chars.join('');
}
