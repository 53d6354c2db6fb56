import { useState } from 'react';
import { client, outputsLinkable } from '../../client/index.js';
import { errorMessage } from '../../lib/errors.js';

const EXPORT_PATH = '/api/dataset/export';

/**
 * `GET /api/dataset/export`. A browser follows a plain link (the server streams the ZIP); the
 * desktop app's page has no HTTP origin, so it fetches the bytes over IPC and saves them through
 * an object URL, which Electron hands to its save dialog.
 */
export function DatasetExportButton() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (outputsLinkable) {
    return (
      <a className="btn" href={EXPORT_PATH} download data-testid="dataset-export">
        Export ZIP
      </a>
    );
  }
  const save = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const zip = await client.audioDatasetExport({});
      const url = URL.createObjectURL(
        new Blob([zip.bytes as BlobPart], { type: zip.content_type }),
      );
      const a = document.createElement('a');
      a.href = url;
      a.download = zip.filename;
      a.click();
      // The download has taken its copy once the click's task has run.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        className="btn"
        disabled={busy}
        onClick={() => void save()}
        data-testid="dataset-export"
      >
        {busy ? 'Exporting…' : 'Export ZIP'}
      </button>
      {error !== null && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
