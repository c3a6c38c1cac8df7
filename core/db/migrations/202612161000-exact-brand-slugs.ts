/**
 * Brand slugs compare exactly on every engine: on MySQL/MariaDB the slug column gets a binary collation without
 * padding, so `FZ`, `fz ` or `fż` no longer find brand `fz` (SQLite's BINARY comparison already is exact).
 */
import type { Knex } from 'knex';
import type { Migration } from '../migrator';
import { dialectOfKnex } from '../connection';

/** The rows of a mysql2 `raw` result. */
const rowsOf = <T>(result: unknown): T[] => (result as [T[]])[0];

export const exactBrandSlugs: Migration = {
  name: '202612161000-exact-brand-slugs',
  async up(db: Knex) {
    if (dialectOfKnex(db) !== 'mysql') return;
    const [col] = rowsOf<{ cs: string }>(await db.raw("SELECT CHARACTER_SET_NAME AS cs FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'brands' AND COLUMN_NAME = 'slug'"));
    const cs = col.cs;
    // MariaDB's *_nopad_bin and MySQL 8's utf8mb4_0900_bin ignore no trailing spaces; plain *_bin pads (the code re-checks anyway).
    const have = new Set(rowsOf<{ Collation: string }>(await db.raw('SHOW COLLATION WHERE Charset = ?', [cs])).map((r) => r.Collation));
    const collation = [`${cs}_nopad_bin`, `${cs}_0900_bin`, `${cs}_bin`].find((c) => have.has(c));
    if (!collation) throw new Error(`no binary collation for character set ${cs}`);
    await db.raw(`ALTER TABLE brands MODIFY slug VARCHAR(63) CHARACTER SET ${cs} COLLATE ${collation} NOT NULL`);
  },
  async down(db: Knex) {
    // Back to the table's default collation.
    if (dialectOfKnex(db) === 'mysql') await db.raw('ALTER TABLE brands MODIFY slug VARCHAR(63) NOT NULL');
  },
};
