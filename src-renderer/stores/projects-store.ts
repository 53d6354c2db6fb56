import { create } from 'zustand';
import type { Project, Task } from '../../src-shared/contract/index.js';
import { client } from '../client/index.js';
import { errorMessage } from '../lib/errors.js';
import { useToastStore } from './toast-store.js';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

interface ProjectsState {
  readonly projects: readonly Project[];
  readonly status: LoadStatus;
  readonly error: string | null;
  load(): Promise<void>;
  /** Resolves to the new project, or null when the server refused (the reason is toasted). */
  create(name: string, task: Task): Promise<Project | null>;
  rename(id: string, name: string): Promise<boolean>;
  remove(id: string): Promise<boolean>;
}

const toasts = () => useToastStore.getState();

export const useProjectsStore = create<ProjectsState>()((set, get) => ({
  projects: [],
  status: 'idle',
  error: null,

  async load() {
    if (get().status === 'idle') set({ status: 'loading' });
    try {
      const projects = await client.listProjects({});
      set({ projects, status: 'ready', error: null });
    } catch (e) {
      set({ status: 'error', error: errorMessage(e) });
    }
  },

  async create(name, task) {
    try {
      const project = await client.createProject({ name, task });
      set({ projects: [...get().projects, project] });
      toasts().push('success', `Project "${project.name}" created`);
      return project;
    } catch (e) {
      toasts().pushError('Could not create the project', e);
      return null;
    }
  },

  async rename(id, name) {
    try {
      const updated = await client.updateProject({ id, name });
      set({ projects: get().projects.map((p) => (p.id === id ? updated : p)) });
      return true;
    } catch (e) {
      toasts().pushError('Could not rename the project', e);
      return false;
    }
  },

  async remove(id) {
    try {
      await client.deleteProject({ id });
      set({ projects: get().projects.filter((p) => p.id !== id) });
      toasts().push('info', 'Project deleted');
      return true;
    } catch (e) {
      toasts().pushError('Could not delete the project', e);
      return false;
    }
  },
}));

/** Selector: the project with this id, if loaded. */
export const selectProject =
  (id: string | null) =>
  (s: ProjectsState): Project | undefined =>
    id === null ? undefined : s.projects.find((p) => p.id === id);
