import { useEffect, useRef, useState, type DragEvent } from 'react';
import { EmptyState } from '../../components/empty-state.js';
import { entriesOf } from '../../lib/file-entries.js';
import { itemNoun } from '../../lib/tasks.js';
import { useCurationStore } from '../../stores/curation-store.js';
import { useDatasetStore } from '../../stores/dataset-store.js';
import { useImportStore } from '../../stores/import-store.js';
import { selectProject, useProjectsStore } from '../../stores/projects-store.js';
import { CurationBar } from './curation-bar.js';
import { DatasetToolbar } from './dataset-toolbar.js';
import { ImportPanel } from './import-panel.js';
import { ItemDetail } from './item-detail.js';
import { ThumbnailGrid } from './thumbnail-grid.js';

const hasFiles = (e: DragEvent): boolean => Array.from(e.dataTransfer.types).includes('Files');

export function DatasetScreen({ projectId }: { readonly projectId: string }) {
  const project = useProjectsStore(selectProject(projectId));
  const open = useDatasetStore((s) => s.open);
  const info = useDatasetStore((s) => (s.projectId === projectId ? s.info : null));
  const status = useDatasetStore((s) => s.status);
  const error = useDatasetStore((s) => s.error);
  const total = useDatasetStore((s) => s.total);
  const listed = useDatasetStore((s) => s.pagesGeneration === s.generation);
  const attach = useImportStore((s) => s.attach);
  const importDrop = useImportStore((s) => s.importDrop);
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);
  const noun = itemNoun(project?.task ?? info?.task);

  const openCuration = useCurationStore((s) => s.open);
  useEffect(() => {
    void open(projectId);
    void openCuration(projectId);
  }, [open, openCuration, projectId]);

  // An import started elsewhere (another window, a lab script) shows its progress here too.
  const activeJob = info?.active_job_id ?? null;
  useEffect(() => {
    if (activeJob !== null) void attach(projectId, activeJob);
  }, [activeJob, attach, projectId]);

  const dropHandlers = {
    onDragEnter(e: DragEvent) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      dragDepth.current += 1;
      setDragging(true);
    },
    onDragOver(e: DragEvent) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave() {
      dragDepth.current = Math.max(0, dragDepth.current - 1);
      if (dragDepth.current === 0) setDragging(false);
    },
    onDrop(e: DragEvent) {
      e.preventDefault();
      dragDepth.current = 0;
      setDragging(false);
      const files = Array.from(e.dataTransfer.files);
      const entries = entriesOf(e.dataTransfer);
      if (files.length > 0) void importDrop(projectId, files, entries);
    },
  };

  const empty = info !== null && info.total_items === 0;

  return (
    <div className="screen dataset-screen" {...dropHandlers} data-testid="dataset-screen">
      <ImportPanel projectId={projectId} noun={noun} compact={!empty} />
      {status === 'error' ? (
        <EmptyState title="The dataset could not be loaded." tone="error" testId="dataset-error">
          <p>{error}</p>
          <button type="button" className="btn" onClick={() => void open(projectId)}>
            Try again
          </button>
        </EmptyState>
      ) : info === null ? (
        <p className="muted pad">Loading dataset…</p>
      ) : (
        <>
          <DatasetToolbar />
          <CurationBar />
          <div className="dataset-body">
            {empty ? (
              <EmptyState
                title={`No ${noun} yet — drop a folder here to import it`}
                testId="dataset-empty"
              >
                Put each class in its own sub-folder (<code>cat/</code>, <code>dog/</code>, …): the
                folder names become the labels. You can also choose a folder or type its path above.
              </EmptyState>
            ) : listed && total === 0 ? (
              <EmptyState title="Nothing matches the search or filter." testId="dataset-no-match" />
            ) : (
              <ThumbnailGrid projectId={projectId} />
            )}
            <ItemDetail projectId={projectId} />
          </div>
        </>
      )}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-overlay-box">
            Drop to import into {project?.name ?? 'this project'}
          </div>
        </div>
      )}
    </div>
  );
}
