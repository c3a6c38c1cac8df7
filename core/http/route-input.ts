/** Route input helpers shared by the admin API and the modules' routes: parse with zod (400 naming the fields), read an id. */
import type { z } from 'zod';
import { validationError, zodIssues } from '../errors';

/** Parses a body or query value with `schema`; a failure is a 400 naming every failing field. */
export function parseInput<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw validationError(zodIssues(r.error.issues));
  return r.data as z.infer<T>;
}

/** A positive integer id from a route parameter; otherwise a 400 naming `id` with `what` it should be. */
export function idParam(raw: string, what: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id < 1) throw validationError([{ field: 'id', message: `${what} id is required` }]);
  return id;
}
