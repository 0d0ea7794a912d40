package io.tracesift.bench;

import java.util.Arrays;

/**
 * What the freshness phase measured.
 *
 * @param probes            probe spans measured (the priming probe excluded)
 * @param seenMillis        arrival in Kafka to visible on {@code /metrics}, in ms, of each probe seen in time
 * @param timeoutMillis     how long a probe was waited for; probes not seen by then count as slower than any seen
 * @param backgroundRate    generated spans/s actually written during the phase
 * @param scrapes           {@code /metrics} requests made
 * @param scrapeMillisTotal their summed duration (request sent to body read)
 * @param scrapeMillisMax   the longest one
 */
record FreshnessResult(int probes, long[] seenMillis, long timeoutMillis, double backgroundRate, long scrapes,
                       double scrapeMillisTotal, double scrapeMillisMax) {
    FreshnessResult {
        seenMillis = seenMillis.clone();
        Arrays.sort(seenMillis);
        if (seenMillis.length > probes) {
            throw new IllegalArgumentException("more probes seen than sent");
        }
    }

    @Override
    public long[] seenMillis() {
        return seenMillis.clone();
    }

    int seen() {
        return seenMillis.length;
    }

    /**
     * The nearest-rank percentile in ms over every probe; {@code Long.MAX_VALUE} when it falls on a probe that was
     * not seen within the timeout.
     */
    long percentileMillis(double percent) {
        int rank = (int) Math.ceil(percent / 100 * probes);
        int index = Math.max(rank, 1) - 1;
        return index < seenMillis.length ? seenMillis[index] : Long.MAX_VALUE;
    }

    double scrapeMillisMean() {
        return scrapes == 0 ? Double.NaN : scrapeMillisTotal / scrapes;
    }
}
