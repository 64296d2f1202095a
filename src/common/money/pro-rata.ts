export interface Share<K> {
  key: K;
  weight: number;
}

/**
 * Splits whole credits in proportion to weights so that the parts add up to `total` exactly
 * (largest remainder method): everyone gets the floor of their exact share, and the credits
 * left over go one each to the largest remainders, ties to the larger weight, then to the
 * earlier entry. Three equal weights splitting 2 credits give 1, 1 and 0.
 */
export function splitProRata<K>(total: number, shares: readonly Share<K>[]): Map<K, number> {
  if (!Number.isSafeInteger(total) || total < 0)
    throw new RangeError('total must be a whole, non-negative amount');
  const weightSum = shares.reduce((sum, s) => sum + s.weight, 0);
  if (shares.length === 0 || weightSum <= 0) {
    if (total === 0) return new Map(shares.map((s) => [s.key, 0]));
    throw new RangeError('cannot split a non-zero amount without positive weights');
  }
  // BigInt keeps total × weight exact however large the credits.
  const parts = shares.map((share, index) => {
    const exact = BigInt(total) * BigInt(share.weight);
    const floor = exact / BigInt(weightSum);
    return { share, index, floor: Number(floor), remainder: exact - floor * BigInt(weightSum) };
  });
  let leftover = total - parts.reduce((sum, p) => sum + p.floor, 0);
  const byRemainder = [...parts].sort((a, b) =>
    a.remainder !== b.remainder
      ? a.remainder > b.remainder
        ? -1
        : 1
      : b.share.weight - a.share.weight || a.index - b.index,
  );
  for (const part of byRemainder) {
    if (leftover === 0) break;
    part.floor += 1;
    leftover -= 1;
  }
  return new Map(parts.map((p) => [p.share.key, p.floor]));
}
