/** A binding connects a hook to a module action, with a priority and a default switch; one binding per file. */
import type { HookName } from './catalogue';

export interface BindingDefinition {
  /** Stable id, shown in the admin toggle list (the file name). */
  id: string;
  hook: HookName;
  module: string;
  action: string;
  /** Lower runs first. */
  priority: number;
  enabledByDefault: boolean;
  description: string;
}

/** Declares a binding. */
export function defineBinding(def: BindingDefinition): BindingDefinition {
  if (!/^[a-z0-9-]+$/.test(def.id)) throw new Error(`binding id "${def.id}" must be kebab-case`);
  return def;
}
