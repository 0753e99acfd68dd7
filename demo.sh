#!/usr/bin/env bash
# Sets up a fresh machine, builds panavec, builds an index from the bundled WordNet/MiniLM cut and queries it.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
source scripts/java-home.sh
mvn -B -q -DskipTests package
data=data/wordnet-minilm-10k
rm -rf target/demo-index
echo "== exact search (flat)"
bin/panavec build --input $data/base.fvecs --index target/demo-index --metric ip
bin/panavec info --index target/demo-index
bin/panavec search --index target/demo-index --queries $data/queries.fvecs --groundtruth $data/queries-groundtruth.ivecs \
  --k 10 --texts $data/texts.tsv --query-texts $data/queries.tsv --show 3
echo
echo "== the same data in panavec's HNSW graph (approximate; recall against the same exact ground truth)"
rm -rf target/demo-hnsw
bin/panavec build --input $data/base.fvecs --index target/demo-hnsw --metric ip --spec hnsw:M=16,efc=100 \
  --attributes $data/attributes.tsv
bin/panavec search --index target/demo-hnsw --queries $data/queries.fvecs --groundtruth $data/queries-groundtruth.ivecs \
  --k 10 --ef 64 --show 0
echo
echo "== filtered: only verbs (pos = 'v'); every hit satisfies the filter, k of them whenever k match"
bin/panavec search --index target/demo-hnsw --queries $data/queries.fvecs --k 10 --filter "pos = 'v'" \
  --texts $data/texts.tsv --query-texts $data/queries.tsv --show 2
echo
echo "== recall/QPS sweep over the HNSW beam (best of 3 timed passes per value; table, JSON and a PNG plot)"
bin/panavec bench --index target/demo-hnsw --queries $data/queries.fvecs --groundtruth $data/queries-groundtruth.ivecs \
  --k 10 --ef 10,20,40,80,160 --out target/demo-bench
