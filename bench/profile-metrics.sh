#!/usr/bin/env bash
# Where metrics spend the pipeline's CPU, native code included (RocksDB, lz4, the kernel), which JFR does not see:
# runs the bench's short form and records the whole machine with `perf` through each of its three skipped runs with
# metrics and three without (each from its "phase" line to its decisions), then splits the stream threads' samples by
# what they were doing, in us per input span. Needs `perf` and root (or perf_event_paranoid <= 1).
#
#   bench/profile-metrics.sh [JAR] [OUT]      JAR: app/target/tracesift.jar; OUT: a new temporary folder
set -euo pipefail
JAR=${1:-app/target/tracesift.jar}
OUT=${2:-$(mktemp -d -t tracesift-profile-XXXX)}
command -v perf >/dev/null || { echo "perf is not installed (Debian package linux-perf)" >&2; exit 1; }
[ -f "$JAR" ] || { echo "no jar at $JAR: build it with mvn -B -q package -DskipTests -pl app -am" >&2; exit 1; }
mkdir -p "$OUT"
java -XX:+PreserveFramePointer -jar "$JAR" bench --spans 1000000 --size-spans 20000 --naive-seconds 10 --probes 20 \
    > "$OUT/bench.out" 2>&1 &
BENCH=$!
trap 'kill $BENCH 2>/dev/null || true' EXIT
echo "profile-metrics: bench pid $BENCH, output in $OUT"

# Records from the phase line of $1 to the line of its decisions (every trace decided; the bench's own measurements
# between phases stay out); keeps the JIT's symbol map of that moment.
record() {
  local phase=$1 name=$2
  until grep -q "^bench: phase $phase\$" "$OUT/bench.out"; do
    kill -0 $BENCH 2>/dev/null || { echo "bench ended before phase $phase" >&2; exit 1; }
    sleep 0.1
  done
  perf record -a -g -F 499 -o "$OUT/$name.data" >/dev/null 2>&1 &
  local perf=$!
  until grep -q "^bench: $phase: decisions kept" "$OUT/bench.out"; do
    kill -0 $BENCH 2>/dev/null || { echo "bench ended during phase $phase" >&2; exit 1; }
    sleep 0.1
  done
  kill -INT $perf; wait $perf || true
  jcmd $BENCH Compiler.perfmap >/dev/null && cp "/tmp/perf-$BENCH.map" "$OUT/$name.map"
  echo "profile-metrics: recorded $phase"
}
# In the bench's run order (ThroughputRounds.order): each kind takes each slot of a round once.
record tracesift-skip-repartition on1
record tracesift-skip-repartition-metrics-off off1
record tracesift-skip-repartition-metrics-off-2 off2
record tracesift-skip-repartition-2 on2
record tracesift-skip-repartition-3 on3
record tracesift-skip-repartition-metrics-off-3 off3
kill $BENCH 2>/dev/null || true
wait $BENCH 2>/dev/null || true
SPANS=$(sed -n 's/^bench: input otlp_spans: \([0-9]*\) spans.*/\1/p' "$OUT/bench.out")
for name in on1 on2 on3 off1 off2 off3; do
  cp "$OUT/$name.map" "/tmp/perf-$BENCH.map"
  perf script -i "$OUT/$name.data" > "$OUT/$name.txt" 2>/dev/null
done
rm -f "/tmp/perf-$BENCH.map"

python3 - "$OUT" "$SPANS" <<'EOF'
import collections, re, sys
out, spans = sys.argv[1], int(sys.argv[2])
# First match from the leaf up names a sample's category (a RocksDB get under span metrics counts as span metrics).
CATEGORIES = [
    ('span, agent and workflow metrics', r'SpanMetricsRecorder|AgentMetrics|SpanMetrics\.|SpanSeries'),
    ('service graph', r'TraceMetricsRecorder|ServiceGraph'),
    ('metric series written at commit', r'SeriesBufferStore|SeriesAccumulator\.flush'),
    ('lz4 (producer compression)', r'LZ4_compress'),
    ('lz4 (decompression)', r'LZ4_decompress'),
    ('redaction check', r'RedactionScan|ValuePattern'),
    ('scan of records', r'RequestScanner|SpanScanner'),
    ('RocksDB', r'rocksdb'),
    ('decisions', r'TraceAssembler\.traceDue|TraceAssembler\.punctuate'),
    ('kernel', r'\[kernel\.kallsyms\]'),
]
def profile(name):
    counts = collections.Counter(); total = 0; thread = None; frames = []
    def sample():
        nonlocal total
        if thread and thread.startswith('bench-tracesift') and frames:  # the stream threads (name cut to 15 chars)
            total += 1
            text = '\n'.join(frames)
            counts[next((c for c, p in CATEGORIES if re.search(p, text)), 'other')] += 1
    for line in open(f'{out}/{name}.txt', errors='replace'):
        if not line.strip():
            sample(); thread = None; frames = []
        elif line[0] in ' \t':
            frames.append(line.strip())
        else:
            m = re.match(r'^(.*?)\s+\d+(/\d+)?\s', line)
            thread = m.group(1).strip() if m else line
    sample()
    return total, counts
def kind(prefix):
    total, counts = 0, collections.Counter()
    for i in (1, 2, 3):
        t, c = profile(f'{prefix}{i}')
        total += t; counts += c
    return total, counts
(on_total, on), (off_total, off) = kind('on'), kind('off')
per_us = 1e6 / 499 / spans / 3  # one sample at 499 Hz, in us per input span, mean of three runs
print(f'stream threads, us per input span ({spans:,} spans, perf at 499 Hz, mean of three whole skipped runs each):')
print(f'{"":34s} {"metrics on":>10s} {"off":>8s} {"on - off":>9s}')
for c in [c for c, _ in CATEGORIES] + ['other']:
    print(f'{c:34s} {on[c] * per_us:10.3f} {off[c] * per_us:8.3f} {(on[c] - off[c]) * per_us:+9.3f}')
print(f'{"all":34s} {on_total * per_us:10.3f} {off_total * per_us:8.3f} {(on_total - off_total) * per_us:+9.3f}'
      f'   share (on - off) / on {(on_total - off_total) / on_total:.3f}')
EOF
