import type { FamilyDef } from '../family.js';
import { audioPortal } from './audio-portal.js';
import { inspection } from './inspection.js';
import { tabularRegression } from './tabular-regression.js';
import { trainingPlatform } from './training-platform.js';
import { wakeWord } from './wake-word.js';

export { audioPortal, inspection, tabularRegression, trainingPlatform, wakeWord };

/** Every family one server serves (DESIGN §5: one process, one port, five families). */
export const families: readonly FamilyDef[] = [
  trainingPlatform,
  tabularRegression,
  audioPortal,
  wakeWord,
  inspection,
];
