// A binary logistic model: the probability that a candidate is right, from
// named features. Weights are fitted by scripts/fit-decision.ts and kept as
// JSON beside this file, so the decision is reproducible and reviewable.

export interface LogisticModel {
  /** Feature names, in the order of `weights`. */
  features: string[];
  weights: number[];
  bias: number;
  /** Flag `match` at or above this probability (chosen on the development part for precision first). */
  threshold: number;
  /** How the weights were obtained: data, part, count, date. */
  fittedOn?: Record<string, unknown>;
}

export type FeatureVector = Record<string, number>;

export function probability(model: LogisticModel, x: FeatureVector): number {
  let z = model.bias;
  for (let j = 0; j < model.features.length; j++) z += model.weights[j] * (x[model.features[j]] ?? 0);
  return 1 / (1 + Math.exp(-z));
}

/**
 * Fits weights by full-batch gradient descent on the log-loss with an L2 penalty
 * (a few thousand rows and a few dozen features: a second at most). Written here
 * rather than taken from ml-logistic-regression, which trains one-vs-all classes
 * and returns labels, not the probabilities and plain weights this needs.
 */
export function fitLogistic(features: string[], rows: FeatureVector[], labels: number[], options: { l2?: number; steps?: number; rate?: number } = {}): { weights: number[]; bias: number } {
  const l2 = options.l2 ?? 1e-3;
  const steps = options.steps ?? 3000;
  const rate = options.rate ?? 0.5;
  const n = rows.length;
  const d = features.length;
  const X = rows.map((r) => features.map((f) => r[f] ?? 0));
  const w = new Array<number>(d).fill(0);
  let b = 0;
  // Adam: the features differ in scale (0/1 flags beside a 0-1 score), plain steps would crawl.
  const m = new Array<number>(d + 1).fill(0);
  const v = new Array<number>(d + 1).fill(0);
  const g = new Array<number>(d + 1).fill(0);
  for (let step = 1; step <= steps; step++) {
    g.fill(0);
    for (let i = 0; i < n; i++) {
      const xi = X[i];
      let z = b;
      for (let j = 0; j < d; j++) z += w[j] * xi[j];
      const err = 1 / (1 + Math.exp(-z)) - labels[i];
      for (let j = 0; j < d; j++) g[j] += err * xi[j];
      g[d] += err;
    }
    for (let j = 0; j <= d; j++) {
      const grad = g[j] / n + (j < d ? l2 * w[j] : 0);
      m[j] = 0.9 * m[j] + 0.1 * grad;
      v[j] = 0.999 * v[j] + 0.001 * grad * grad;
      const step_ = (rate * 0.1 * (m[j] / (1 - 0.9 ** step))) / (Math.sqrt(v[j] / (1 - 0.999 ** step)) + 1e-8);
      if (j < d) w[j] -= step_;
      else b -= step_;
    }
  }
  return { weights: w, bias: b };
}
