/**
 * Removes `n` elements of `xs` from index `i` in place (fewer if the list ends first), keeping the
 * order of the rest. It does what `xs.splice(i, n)` does without allocating the array of removed
 * elements, which `splice` does on every call: reverse Dutch removes a worker or a lock intent per
 * lock landed, and the shell drops lock candidates and queued attempts per attempt.
 */
export function removeAt(xs: number[], i: number, n = 1): void {
  const d = Math.min(n, xs.length - i);
  if (d <= 0) return;
  for (let k = i + d; k < xs.length; k++) xs[k - d] = xs[k]!;
  for (let k = 0; k < d; k++) xs.pop();
}

/** Removes the first `v` from `xs` in place ({@link removeAt}); false if `xs` has none. */
export function removeValue(xs: number[], v: number): boolean {
  const i = xs.indexOf(v);
  if (i < 0) return false;
  removeAt(xs, i);
  return true;
}
