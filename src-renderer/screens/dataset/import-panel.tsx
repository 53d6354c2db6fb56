import { useEffect, useRef, useState, type FormEvent } from 'react';
import { selectImportBusy, useImportStore } from '../../stores/import-store.js';
import { ImportProgress } from './import-progress.js';

interface ImportPanelProps {
  readonly projectId: string;
  readonly noun: string;
  readonly compact: boolean;
}

/**
 * Every way in: a drop anywhere on the screen (handled by the screen), a folder or files picked
 * with the system dialog, or a folder path typed in (the server reads it in place; nothing is
 * copied through the browser).
 */
export function ImportPanel({ projectId, noun, compact }: ImportPanelProps) {
  const busy = useImportStore(selectImportBusy);
  const importLocal = useImportStore((s) => s.importLocal);
  const importChosen = useImportStore((s) => s.importChosen);
  const folderInput = useRef<HTMLInputElement>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const [path, setPath] = useState('');

  useEffect(() => {
    // Not in React's typings; it makes the picker choose a whole folder, sub-folders included.
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);

  function onPicked(input: HTMLInputElement) {
    const files = Array.from(input.files ?? []);
    input.value = ''; // picking the same folder again must fire change again
    void importChosen(projectId, files);
  }

  function onPathSubmit(e: FormEvent) {
    e.preventDefault();
    const p = path.trim();
    if (p === '' || busy) return;
    void importLocal(projectId, p);
  }

  return (
    <section className={`card import-panel ${compact ? 'compact' : ''}`} data-testid="import-panel">
      <div className="drop-zone" data-testid="drop-zone">
        <svg className="drop-icon" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 16V4m0 0-4 4m4-4 4 4M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" />
        </svg>
        <div className="drop-text">
          <strong>Drop a folder or files here</strong>
          <span className="muted">
            Sub-folder names become class labels; {noun} and ZIP archives are accepted.
          </span>
        </div>
        <div className="drop-actions">
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => folderInput.current?.click()}
            data-testid="choose-folder-button"
          >
            Choose folder…
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => filesInput.current?.click()}
            data-testid="choose-files-button"
          >
            Choose files…
          </button>
        </div>
        <input
          ref={folderInput}
          type="file"
          multiple
          hidden
          onChange={(e) => onPicked(e.currentTarget)}
          data-testid="folder-input"
        />
        <input
          ref={filesInput}
          type="file"
          multiple
          hidden
          onChange={(e) => onPicked(e.currentTarget)}
          data-testid="files-input"
        />
      </div>
      <form className="path-form" onSubmit={onPathSubmit}>
        <label className="field grow">
          <span className="field-label">Or import a folder by its path on this computer</span>
          <input
            className="input mono"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/data/images/weld-seams"
            spellCheck={false}
            data-testid="import-path-input"
          />
        </label>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={busy || path.trim() === ''}
          data-testid="import-path-button"
        >
          Import
        </button>
      </form>
      <ImportProgress projectId={projectId} />
    </section>
  );
}
