import { z } from 'zod';
import { IsoDate, ProjectId } from './common.js';

/** A project's task decides its media and its default models (DESIGN.md §4). */
export const Task = z.enum([
  'classification',
  'audio-classification',
  'wake-word',
  'inspection',
  'regression',
]);
export type Task = z.infer<typeof Task>;

export const Project = z.object({
  id: ProjectId,
  name: z.string(),
  task: Task,
  created_at: IsoDate,
  updated_at: IsoDate,
  item_count: z.number().int(),
  class_count: z.number().int(),
  split_count: z.number().int(),
});
export type Project = z.infer<typeof Project>;

const ProjectName = z.string().trim().min(1, 'name must not be empty').max(200);

export const CreateProjectInput = z.strictObject({
  name: ProjectName,
  task: Task.default('classification'),
});
export type CreateProjectInput = z.input<typeof CreateProjectInput>;

export const UpdateProjectInput = z
  .strictObject({ name: ProjectName.optional(), task: Task.optional() })
  .refine((v) => v.name !== undefined || v.task !== undefined, {
    message: 'give at least one of name, task',
  });
export type UpdateProjectInput = z.input<typeof UpdateProjectInput>;

export const ProjectIdParams = z.object({ id: ProjectId });
