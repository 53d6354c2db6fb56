export { computeSplit, subsetSizes, summarizeSplit, UNLABELED } from './compute-split.js';
export type {
  SplitAssignment,
  SplitItem,
  SplitOptions,
  SplitRatiosInput,
} from './compute-split.js';
export { mulberry32, deriveSeed, fnv1a, shuffleInPlace } from './prng.js';
