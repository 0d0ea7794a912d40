package io.tracesift.bench;

import java.util.Arrays;

/**
 * What the freshness phase measured on one view.
 *
 * @param view              the path polled: {@code /metrics} or {@code /metrics/tenant/<probe tenant>}
 * @param probes            probe spans measured (the priming probe excluded)
 * @param seenMillis        arrival in Kafka to the end of the first {@code /metrics} response that counted the
 *                          probe, in ms, of each probe seen in time (what a scraper waits: an upper bound)
 * @param scrapeStartMillis arrival to the start of that scrape, in ms, same probes (a lower bound of the pipeline's
 *                          part, give or take one poll interval: the scrape before it had not counted the probe)
 * @param timeoutMillis     how long a probe was waited for; probes not seen by then count as slower than any seen
 * @param backgroundRate    generated spans/s actually written during the phase
 * @param scrapes           {@code /metrics} requests made
 * @param scrapeMillisTotal their summed duration (request sent to body read)
 * @param scrapeMillisMax   the longest one
 * @param bodyBytesMax      the largest response body, in characters (ASCII: bytes)
 */
record FreshnessResult(String view, int probes, long[] seenMillis, long[] scrapeStartMillis, long timeoutMillis,
                       double backgroundRate, long scrapes, double scrapeMillisTotal, double scrapeMillisMax,
                       long bodyBytesMax) {
    FreshnessResult {
        seenMillis = seenMillis.clone();
        scrapeStartMillis = scrapeStartMillis.clone();
        Arrays.sort(seenMillis);
        Arrays.sort(scrapeStartMillis);
        if (seenMillis.length > probes || scrapeStartMillis.length != seenMillis.length) {
            throw new IllegalArgumentException("seen probes: " + seenMillis.length + " and " + scrapeStartMillis.length
                    + " of " + probes);
        }
    }

    @Override
    public long[] seenMillis() {
        return seenMillis.clone();
    }

    @Override
    public long[] scrapeStartMillis() {
        return scrapeStartMillis.clone();
    }

    int seen() {
        return seenMillis.length;
    }

    /**
     * The nearest-rank percentile in ms over every probe; {@code Long.MAX_VALUE} when it falls on a probe that was
     * not seen within the timeout.
     */
    long percentileMillis(double percent) {
        return percentile(seenMillis, percent);
    }

    /** Like {@link #percentileMillis}, to the start of the scrape that showed the probe. */
    long scrapeStartPercentileMillis(double percent) {
        return percentile(scrapeStartMillis, percent);
    }

    private long percentile(long[] sorted, double percent) {
        int rank = (int) Math.ceil(percent / 100 * probes);
        int index = Math.max(rank, 1) - 1;
        return index < sorted.length ? sorted[index] : Long.MAX_VALUE;
    }

    double scrapeMillisMean() {
        return scrapes == 0 ? Double.NaN : scrapeMillisTotal / scrapes;
    }
}
