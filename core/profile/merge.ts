/** Merges partial profiles: objects merge key by key, arrays and scalars from the nearer layer replace the farther. */

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep-merges `layers` from farthest (first) to nearest (last). */
export function mergeLayers(...layers: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      if (v === undefined) continue;
      out[k] = isPlainObject(v) && isPlainObject(out[k]) ? mergeLayers(out[k] as Record<string, unknown>, v) : v;
    }
  }
  return out;
}
