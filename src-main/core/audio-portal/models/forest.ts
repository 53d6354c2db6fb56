import { RandomForestClassifier } from 'ml-random-forest';

/**
 * TRADITIONAL: ml-random-forest on the summary features. Its own `predictProbability` miscounts
 * (its reduce starts from the first tree's label), so class probabilities are taken here as the
 * share of trees voting for each class.
 */
export interface Forest {
  probabilities(rows: readonly (readonly number[])[]): number[][];
  toJSON(): unknown;
}

function wrap(rf: RandomForestClassifier, classes: number): Forest {
  return {
    probabilities(rows) {
      if (rows.length === 0) return [];
      const votes = rf.predictionValues(rows.map((r) => [...r]));
      const out: number[][] = [];
      for (let i = 0; i < votes.rows; i++) {
        const row = votes.getRow(i);
        const p = new Array<number>(classes).fill(0);
        for (const v of row) p[Math.round(v)]! += 1 / row.length;
        out.push(p);
      }
      return out;
    },
    toJSON: () => rf.toJSON(),
  };
}

export function trainForest(
  rows: readonly (readonly number[])[],
  labels: readonly number[],
  classes: number,
  seed: number,
  trees = 60,
): Forest {
  const rf = new RandomForestClassifier({
    nEstimators: trees,
    maxFeatures: 0.5,
    replacement: true,
    useSampleBagging: true,
    seed,
    noOOB: true,
    treeOptions: { maxDepth: 12 },
  } as ConstructorParameters<typeof RandomForestClassifier>[0]);
  rf.train(
    rows.map((r) => [...r]),
    [...labels],
  );
  return wrap(rf, classes);
}

export function loadForest(json: unknown, classes: number): Forest {
  return wrap(
    RandomForestClassifier.load(json as Parameters<typeof RandomForestClassifier.load>[0]),
    classes,
  );
}
