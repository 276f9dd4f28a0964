import { statsResponseBucketEdges } from '../../../shared/ipc/stats';
import type { StatsReport, StatsResponseMeasure } from '../../../shared/ipc/stats';
import type { Episode } from '../stats/metrics';

/** The wait an answered episode measured: first response or reply time, on the wall clock or in open hours only. */
export function waitOf(e: Episode, measure: StatsResponseMeasure, businessHours: boolean): number | null {
  if (measure === 'replyTime') return businessHours ? e.replyOpenMs : e.replyMs;
  return businessHours ? e.firstResponseOpenMs : e.firstResponseMs;
}

/** The bar of the response-time chart a wait falls in. */
export function bucketOf(wait: number): number {
  let bucket = 0;
  while (bucket + 1 < statsResponseBucketEdges.length && wait >= statsResponseBucketEdges[bucket + 1]!) bucket++;
  return bucket;
}

/** Answered episodes per bar, for each measure and clock (the drill-down of a bar lists the same episodes). */
export function responseHistogram(episodes: readonly Episode[]): StatsReport['responseHistogram'] {
  const count = (measure: StatsResponseMeasure, businessHours: boolean) => {
    const bars = new Array<number>(statsResponseBucketEdges.length).fill(0);
    for (const e of episodes) {
      const wait = e.responseAt === null ? null : waitOf(e, measure, businessHours);
      if (wait !== null) bars[bucketOf(wait)]!++;
    }
    return bars;
  };
  return {
    firstResponse: count('firstResponse', false),
    replyTime: count('replyTime', false),
    firstResponseBusinessHours: count('firstResponse', true),
    replyTimeBusinessHours: count('replyTime', true),
  };
}
