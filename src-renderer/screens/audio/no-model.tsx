import { EmptyState } from '../../components/empty-state.js';
import { useNavStore } from '../../stores/nav-store.js';

/** What a screen that needs the trained models shows before there are any. */
export function NoModel({ what }: { readonly what: string }) {
  const go = useNavStore((s) => s.go);
  return (
    <EmptyState title="No model yet" testId="audio-no-model">
      <p>
        {what} needs the three trained model families. Add recordings of gold, iron and other on the
        Dataset screen, then train them.
      </p>
      <div className="row-actions">
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => go('audio-training', null)}
          data-testid="audio-train-a-model"
        >
          Train a model
        </button>
        <button type="button" className="btn" onClick={() => go('audio-dataset', null)}>
          Open the dataset
        </button>
      </div>
    </EmptyState>
  );
}
