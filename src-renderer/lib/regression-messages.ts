/** What the Regression screen says about refused uploads and predict inputs (pure). */

export const ACCEPTED_FORMATS =
  'a pickle (.pkl, .pickle) with X, y and metadata, a CSV (target in the last column or the one named), a .npy (2-D, target as a column) or a .npz (arrays X and y)';

/**
 * The server's refusal of an unknown format names only pickles (the documented message); the
 * screen reads every format it takes, so it lists them all. Other refusals pass unchanged.
 */
export function uploadErrorMessage(serverMessage: string): string {
  return /only pickle files/i.test(serverMessage)
    ? `This file is not a table Assay reads. Accepted: ${ACCEPTED_FORMATS}.`
    : serverMessage;
}

/** Why the predict form cannot be sent (first bad field), or null when every value is a number. */
export function predictInputProblem(
  featureNames: readonly string[],
  values: readonly string[],
): string | null {
  for (const [i, name] of featureNames.entries()) {
    const text = (values[i] ?? '').trim();
    if (text === '') return `${name} is empty: enter a number.`;
    if (!Number.isFinite(Number(text))) return `${name}: "${text}" is not a finite number.`;
  }
  return null;
}
