import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Task } from '../../../src-shared/contract/index.js';
import { TASK_LABELS, TASKS } from '../../lib/tasks.js';
import { useNavStore } from '../../stores/nav-store.js';
import { useProjectsStore } from '../../stores/projects-store.js';

export function CreateProjectForm() {
  const create = useProjectsStore((s) => s.create);
  const go = useNavStore((s) => s.go);
  const [name, setName] = useState('');
  const [task, setTask] = useState<Task>('classification');
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const newProjectRequests = useNavStore((s) => s.newProjectRequests);

  useEffect(() => {
    if (newProjectRequests > 0) nameRef.current?.focus();
  }, [newProjectRequests]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (name.trim() === '' || busy) return;
    setBusy(true);
    const project = await create(name.trim(), task);
    setBusy(false);
    if (project !== null) {
      setName('');
      go('dataset', project.id);
    }
  }

  return (
    <form
      className="card create-project"
      onSubmit={(e) => void onSubmit(e)}
      data-testid="create-project-form"
    >
      <h2 className="card-title">New project</h2>
      <div className="form-row">
        <label className="field grow">
          <span className="field-label">Name</span>
          <input
            ref={nameRef}
            className="input"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. Weld seam defects"
            maxLength={200}
            data-testid="project-name-input"
          />
        </label>
        <label className="field">
          <span className="field-label">Task</span>
          <select
            className="input"
            value={task}
            onChange={(e) => setTask(e.target.value as Task)}
            data-testid="project-task-select"
          >
            {TASKS.map((t) => (
              <option key={t} value={t}>
                {TASK_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={name.trim() === '' || busy}
          data-testid="create-project-button"
        >
          {busy ? 'Creating…' : 'Create project'}
        </button>
      </div>
    </form>
  );
}
