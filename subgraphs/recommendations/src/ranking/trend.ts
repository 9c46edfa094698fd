/**
 * A style's trend, "what sells now": its kept order lines, each decayed by its age with
 * RANKING_PARAMETERS.trendHalfLifeDays. Stored by forward decay (Cormode, Shkapenyuk, Srivastava &
 * Xu, ICDE 2009): a line placed at t adds 2^((t − landmark) / half-life) to a counter that only adds
 * and subtracts, whatever order lines and returns arrive in; the trend at `now` is the counter times
 * 2^(−(now − landmark) / half-life). A double holds the counter for 1,023 half-lives after the
 * landmark (until 2053 at 10 days): a later landmark and `npm run recs:rebuild` move that on.
 */
import { RANKING_PARAMETERS } from './scoring';

const DAY_MS = 86_400_000;
export const TREND_LANDMARK = new Date('2025-01-01T00:00:00Z');

/** What a kept line placed at `at` adds to its style's counter. */
export function trendWeight(at: Date, halfLifeDays = RANKING_PARAMETERS.trendHalfLifeDays): number {
  return Math.pow(2, (at.getTime() - TREND_LANDMARK.getTime()) / (halfLifeDays * DAY_MS));
}

/** The trend at `now` of a stored counter. */
export function trendAt(counter: number, now: Date, halfLifeDays = RANKING_PARAMETERS.trendHalfLifeDays): number {
  return counter * Math.pow(2, -(now.getTime() - TREND_LANDMARK.getTime()) / (halfLifeDays * DAY_MS));
}
