import { useEffect, useMemo, useState } from 'react';
import { AUDIO_CLASSES } from '../../../src-shared/contract/index.js';
import { client } from '../../client/index.js';
import { EmptyState } from '../../components/empty-state.js';
import { PlotPanel } from '../../components/plot-panel.js';
import { compactLayout, distributionTraces } from '../../lib/audio/audio-traces.js';
import { formatDuration, plural } from '../../lib/format.js';
import { useAudioDatasetStore } from '../../stores/audio-dataset-store.js';
import { DatasetExportButton } from './dataset-export-button.js';
import { AugmentForm } from './augment-form.js';
import { SignalView } from './signal-view.js';

/** Dataset: per-class files and events, play a clip, upload, augment, balance, export. */
export function AudioDatasetScreen() {
  const s = useAudioDatasetStore();
  const { load } = s;
  const [label, setLabel] = useState<string>('gold');
  useEffect(() => {
    void load();
  }, [load]);

  const traces = useMemo(
    () => (s.comparison ? distributionTraces(s.comparison.before, s.comparison.after) : []),
    [s.comparison],
  );
  const layout = useMemo(() => compactLayout(220, { barmode: 'group' }), []);
  const classes = Object.entries(s.info?.classes ?? {});

  return (
    <section className="audio-screen" data-testid="audio-dataset">
      <div className="card">
        <div className="card-head">
          <h3 className="card-title">
            {s.info === null
              ? 'Dataset'
              : `${plural(s.info.total_files, 'file')} · ${plural(s.info.total_events, 'event')}`}
          </h3>
          <DatasetExportButton />
        </div>
        <table className="class-table" data-testid="dataset-classes">
          <tbody>
            {classes.map(([c, v]) => (
              <tr key={c} data-class={c}>
                <td>{c}</td>
                <td>{plural(v.files, 'file')}</td>
                <td>{plural(v.events, 'event')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="row-actions">
          <select value={label} onChange={(e) => setLabel(e.target.value)} aria-label="Class">
            {AUDIO_CLASSES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
          <label className="btn btn-primary">
            {s.busy === 'uploading' ? 'Uploading…' : 'Add recordings…'}
            <input
              type="file"
              multiple
              hidden
              accept="audio/*,.wav,.mp3,.flac,.ogg"
              data-testid="dataset-upload"
              onChange={(e) => {
                const files = [...(e.target.files ?? [])];
                if (files.length > 0) void s.upload(files, label);
                e.target.value = '';
              }}
            />
          </label>
        </div>
      </div>
      {s.error !== null && (
        <p className="form-error" role="alert" data-testid="dataset-error">
          {s.error}
        </p>
      )}
      {s.info !== null && s.items.length === 0 ? (
        <EmptyState title="No recordings yet" testId="dataset-empty">
          <p>Add recordings of gold, iron and other targets, one class at a time.</p>
        </EmptyState>
      ) : (
        <ul className="clip-list" data-testid="dataset-items">
          {s.items.map((item) => (
            <li key={item.filename} data-filename={item.filename} data-testid="dataset-item">
              <button
                type="button"
                className="link-button"
                onClick={() => void s.select(item.filename)}
              >
                {item.filename}
              </button>
              <span className="muted">
                {item.class} · {formatDuration(item.duration)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {s.selected !== null && s.projectId !== null && (
        <div className="card" data-testid="dataset-selected">
          <h3 className="card-title">
            {s.selected.filename} · {s.selected.events.length} events
          </h3>
          <SignalView
            samples={s.selected.waveform}
            duration={s.selected.duration}
            events={s.selected.events}
            testId="dataset-waveform"
          />
          <audio
            controls
            src={client.mediaUrl(s.projectId, s.selected.filename, 'file')}
            data-testid="dataset-audio"
          />
        </div>
      )}
      <AugmentForm />
      {s.comparison !== null && (
        <div className="card" data-testid="dataset-comparison">
          <h3 className="card-title">
            {s.comparison.action === 'augment' ? 'Augmentation' : 'Balancing'}: files per class,
            before and after
          </h3>
          {s.comparison.message && <p className="muted">{s.comparison.message}</p>}
          <PlotPanel
            traces={traces}
            layout={layout}
            testId="dataset-comparison-plot"
            ariaLabel="Files per class before and after"
          />
        </div>
      )}
    </section>
  );
}
