import { useState, type FormEvent } from 'react';
import type { Project } from '../../../src-shared/contract/index.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { plural } from '../../lib/format.js';
import { TASK_LABELS } from '../../lib/tasks.js';
import { useNavStore } from '../../stores/nav-store.js';
import { useProjectsStore } from '../../stores/projects-store.js';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function ProjectRow({ project }: { readonly project: Project }) {
  const rename = useProjectsStore((s) => s.rename);
  const remove = useProjectsStore((s) => s.remove);
  const go = useNavStore((s) => s.go);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(project.name);
  const [confirming, setConfirming] = useState(false);

  async function onRename(e: FormEvent) {
    e.preventDefault();
    const name = draft.trim();
    if (name === '' || name === project.name) return setEditing(false);
    if (await rename(project.id, name)) setEditing(false);
  }

  return (
    <tr data-testid="project-row" data-project-id={project.id}>
      <td className="project-name-cell">
        {editing ? (
          <form className="inline-form" onSubmit={(e) => void onRename(e)}>
            <input
              className="input input-sm"
              value={draft}
              autoFocus
              maxLength={200}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
              aria-label="Project name"
              data-testid="rename-input"
            />
            <button type="submit" className="btn btn-sm btn-primary" data-testid="rename-save">
              Save
            </button>
            <button type="button" className="btn btn-sm" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <button
            type="button"
            className="link-button project-open"
            onClick={() => go('dataset', project.id)}
            data-testid="project-name"
          >
            {project.name}
          </button>
        )}
      </td>
      <td className="muted">{TASK_LABELS[project.task]}</td>
      <td className="num" data-testid="project-item-count">
        {project.item_count.toLocaleString('en-US')}
      </td>
      <td className="num" data-testid="project-class-count">
        {project.class_count}
      </td>
      <td className="num" data-testid="project-split-count">
        {project.split_count}
      </td>
      <td className="muted nowrap">{dateFormat.format(new Date(project.created_at))}</td>
      <td className="row-actions">
        <button
          type="button"
          className="btn btn-sm btn-primary"
          onClick={() => go('dataset', project.id)}
          data-testid="project-open"
        >
          Open
        </button>
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => {
            setDraft(project.name);
            setEditing(true);
          }}
          data-testid="project-rename"
        >
          Rename
        </button>
        <button
          type="button"
          className="btn btn-sm btn-ghost-danger"
          onClick={() => setConfirming(true)}
          data-testid="project-delete"
        >
          Delete
        </button>
        {confirming && (
          <ConfirmDialog
            title={`Delete "${project.name}"?`}
            message={`This removes the project, its ${plural(project.item_count, 'item')} and ${plural(project.split_count, 'split')} from this workspace. It cannot be undone.`}
            confirmLabel="Delete project"
            onCancel={() => setConfirming(false)}
            onConfirm={() => {
              setConfirming(false);
              void remove(project.id);
            }}
          />
        )}
      </td>
    </tr>
  );
}
