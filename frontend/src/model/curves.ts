// The sales-response curve of the planning model (ADBUDG, docs/model.md):
// r(x) = b + (a − b)·x^c / (d + x^c), x = planned / reference visits,
// d = (a − 1)/(1 − b) so that r(1) = 1: b is the revenue kept without
// visits, a the most that visits can bring, c the shape.

/** The curve's value at x (≥ 0); NaN for parameters outside 0 ≤ b < 1 < a, c > 0. */
export function responseCurve(p: { retention: number; saturation: number; shape: number }, x: number): number {
  const b = p.retention
  const a = p.saturation
  const c = p.shape
  if (!(b >= 0 && b < 1 && a > 1 && c > 0) || !(x >= 0)) return NaN
  const d = (a - 1) / (1 - b)
  const xc = Math.pow(x, c)
  return b + ((a - b) * xc) / (d + xc)
}

/** The curve's elasticity at the reference level (x = 1): (a − b)·c·d/(d + 1)². */
export function elasticityAtReference(p: { retention: number; saturation: number; shape: number }): number {
  const d = (p.saturation - 1) / (1 - p.retention)
  return ((p.saturation - p.retention) * p.shape * d) / ((d + 1) * (d + 1))
}
