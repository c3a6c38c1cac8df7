/**
 * Module settings inside a privacy profile (`modules.<name>`): checked with each module's own schema when a profile
 * is saved, and read so that a section stored before that check existed is a coded 409 naming the field, never a 500.
 */
import type { z } from 'zod';
import { SuiteError, zodIssues, type FieldIssue } from '../errors';
import type { ModuleDefinition } from '../modules/define-module';
import type { PrivacyProfile } from './schema';

/** Checks every module section of an effective profile; returns the field issues (empty when all are valid). */
export type ModuleSettingsCheck = (profile: PrivacyProfile) => FieldIssue[];

/** The field path of a module's settings section, as named in errors: `profile.modules.<name>`. */
const sectionPath = (module: string): string => `profile.modules.${module}`;

/** 409 SUITE_PROFILE_STORED_INVALID: a stored profile (or a section of it) that today's schema refuses. */
export function storedProfileInvalid(fields: FieldIssue[]): SuiteError {
  return new SuiteError('SUITE_PROFILE_STORED_INVALID', { fields: fields.map((f) => f.field).join(', ') }, fields);
}

/**
 * The check the brand service runs on save and on load: each loaded module's `settings` schema applied to its
 * section of the merged profile. A module without a section is not checked (its defaults apply, and a module that
 * cannot run without settings, such as a registrar, says so when it is used).
 */
export function moduleSettingsCheck(modules: () => ModuleDefinition[]): ModuleSettingsCheck {
  return (profile) => modules().flatMap((m) => {
    const raw = profile.modules[m.name];
    if (!m.settings || raw === undefined) return [];
    const r = m.settings.safeParse(raw);
    return r.success ? [] : zodIssues(r.error.issues, sectionPath(m.name));
  });
}

/** A module's settings from a brand's effective profile; a section its schema refuses is a 409 naming each field. */
export function moduleSettings<S extends z.ZodTypeAny>(schema: S, profile: PrivacyProfile, module: string): z.infer<S> {
  const r = schema.safeParse(profile.modules[module] ?? {});
  if (!r.success) throw storedProfileInvalid(zodIssues(r.error.issues, sectionPath(module)));
  return r.data as z.infer<S>;
}
