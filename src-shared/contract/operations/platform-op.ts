import { z } from 'zod';
import { trainingPlatform } from '../families/training-platform.js';
import type { OperationDef } from '../operation.js';

/** An operation of the training platform: its envelope, its prefixes. */
export const op = <const D extends Omit<OperationDef, 'family'>>(d: D) =>
  ({ family: trainingPlatform, ...d }) as const;

export const Deleted = z.object({ deleted: z.literal(true), id: z.string() });
