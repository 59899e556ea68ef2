/**
 * A mechanism's parameters: its defaults, overridden by a named preset, overridden by what the
 * caller gives. Throws on an unknown parameter name (naming it and the known names) and on an
 * unknown preset. Shared by every mechanism factory, so `randomAllocation({ typo: 1 })` fails loudly
 * instead of running with the default.
 */
export function resolveParams<P extends object>(
  id: string,
  defaults: P,
  presets: Readonly<Record<string, Partial<P>>>,
  params: Partial<P> & { preset?: string },
): P {
  const { preset, ...rest } = params;
  const known = Object.keys(defaults);
  for (const k of Object.keys(rest)) {
    if (!known.includes(k)) throw new Error(`unknown parameter "${k}" for mechanism ${id} (known: ${known.join(', ')})`);
  }
  const base = preset ? presets[preset] : undefined;
  if (preset && !base)
    throw new Error(`unknown preset "${preset}" for mechanism ${id} (known: ${Object.keys(presets).join(', ') || 'none'})`);
  return { ...defaults, ...base, ...(rest as Partial<P>) };
}
