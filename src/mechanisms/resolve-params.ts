/**
 * A mechanism's parameters: its defaults, overridden by a named preset, overridden by what the
 * caller gives. Throws on an unknown preset. Shared by every mechanism factory.
 */
export function resolveParams<P extends object>(
  id: string,
  defaults: P,
  presets: Readonly<Record<string, Partial<P>>>,
  params: Partial<P> & { preset?: string },
): P {
  const { preset, ...rest } = params;
  const base = preset ? presets[preset] : undefined;
  if (preset && !base) throw new Error(`unknown preset "${preset}" for mechanism ${id}`);
  return { ...defaults, ...base, ...(rest as Partial<P>) };
}
