/** Whether a database error is a unique-key (or primary-key) violation, on SQLite and on MySQL/MariaDB. */
export function isUniqueViolation(err: unknown): boolean {
  const e = (err ?? {}) as { code?: string; errno?: number; message?: string };
  return e.code === 'ER_DUP_ENTRY' || e.errno === 1062 || /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test(e.code ?? '') || /UNIQUE constraint failed/.test(e.message ?? '');
}
