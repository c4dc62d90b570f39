#!/usr/bin/env bash
# Database throughput: a generated 1,000,000-row customer table on each engine
# (PostgreSQL 127.0.0.1:5432 db test, MariaDB 127.0.0.1:3306 db test, and an
# SQLite file), scanned with the default sample (10,000 rows) and with --full.
# Prints seconds, rows/s and peak memory per run, then drops what it made.
#
#   scripts/bench-db.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
cargo build --release --quiet
bin=./target/release/piimap
work=$(mktemp -d)
trap 'rm -rf "$work"; psql -h 127.0.0.1 -U postgres -d test -q -c "DROP SCHEMA IF EXISTS piimap_bench CASCADE" >/dev/null 2>&1 || true; mariadb -h 127.0.0.1 -u root test -e "DROP TABLE IF EXISTS piimap_bench_customers" >/dev/null 2>&1 || true' EXIT

# Synthetic values: dictionary names, 555 phones, made-up mail boxes, real
# town names with made-up numbers.
psql -h 127.0.0.1 -U postgres -d test -q -v ON_ERROR_STOP=1 <<SQL
DROP SCHEMA IF EXISTS piimap_bench CASCADE;
CREATE SCHEMA piimap_bench;
CREATE TABLE piimap_bench.customers AS
SELECT i AS id,
       (ARRAY['山田','佐藤','鈴木','高橋','田中'])[1 + i % 5] || ' ' || (ARRAY['太郎','花子','一郎','美咲'])[1 + i % 4] AS 氏名,
       'user' || i || '@docomo.ne.jp' AS email,
       '090-5555-' || lpad((i % 10000)::text, 4, '0') AS 電話番号,
       '東京都渋谷区渋谷' || (1 + i % 4) || '-' || (1 + i % 30) || '-' || (1 + i % 20) AS 住所,
       date '1950-01-01' + (i % 20000) AS 生年月日,
       (ARRAY['男','女'])[1 + i % 2] AS 性別,
       'note ' || i AS memo
FROM generate_series(1, $rows) AS i;
ALTER TABLE piimap_bench.customers ADD PRIMARY KEY (id);
ANALYZE piimap_bench.customers;
SQL

mariadb -h 127.0.0.1 -u root test <<SQL
DROP TABLE IF EXISTS piimap_bench_customers;
CREATE TABLE piimap_bench_customers (id INT PRIMARY KEY, 氏名 VARCHAR(32), email VARCHAR(64), 電話番号 VARCHAR(16), 住所 VARCHAR(64), 生年月日 DATE, 性別 VARCHAR(2), memo VARCHAR(32)) CHARACTER SET utf8mb4;
INSERT INTO piimap_bench_customers
SELECT seq,
       CONCAT(ELT(1 + seq % 5, '山田','佐藤','鈴木','高橋','田中'), ' ', ELT(1 + seq % 4, '太郎','花子','一郎','美咲')),
       CONCAT('user', seq, '@docomo.ne.jp'),
       CONCAT('090-5555-', LPAD(seq % 10000, 4, '0')),
       CONCAT('東京都渋谷区渋谷', 1 + seq % 4, '-', 1 + seq % 30, '-', 1 + seq % 20),
       DATE_ADD('1950-01-01', INTERVAL seq % 20000 DAY),
       ELT(1 + seq % 2, '男', '女'),
       CONCAT('note ', seq)
FROM seq_1_to_$rows;
SQL

python3 - "$work/crm.sqlite" "$rows" <<'PY'
import sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
c.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, 氏名 TEXT, email TEXT, 電話番号 TEXT, 住所 TEXT, 生年月日 TEXT, 性別 TEXT, memo TEXT)")
sur, giv = ['山田','佐藤','鈴木','高橋','田中'], ['太郎','花子','一郎','美咲']
c.executemany("INSERT INTO customers VALUES (?,?,?,?,?,?,?,?)", (
    (i, f"{sur[i % 5]} {giv[i % 4]}", f"user{i}@docomo.ne.jp", f"090-5555-{i % 10000:04d}",
     f"東京都渋谷区渋谷{1 + i % 4}-{1 + i % 30}-{1 + i % 20}", f"{1950 + i % 70}-{1 + i % 12:02d}-{1 + i % 28:02d}",
     "男女"[i % 2], f"note {i}") for i in range(1, n + 1)))
c.commit()
PY

run() {
  local label=$1 read_rows=$2; shift 2
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f %M -o "$work/rss" "$bin" scan "$@" -q --format jsonl -o "$work/out.jsonl" || [ $? -eq 1 ]
  t1=$(date +%s.%N)
  awk -v l="$label" -v t0="$t0" -v t1="$t1" -v r="$read_rows" -v m="$(tail -n 1 "$work/rss")" 'BEGIN {
    s = t1 - t0; printf "%-30s %7.2f s  %10.0f rows/s  peak %6.0f MiB\n", l, s, r / s, m / 1024 }'
}
sample=10000
for target in "postgres://postgres@127.0.0.1:5432/test --db-include piimap_bench.*" \
              "mysql://root@127.0.0.1:3306/test --db-include test.piimap_bench_*" \
              "sqlite:$work/crm.sqlite"; do
  engine=${target%%:*}
  # shellcheck disable=SC2086
  run "$engine sample ($sample rows)" "$sample" $target
  # shellcheck disable=SC2086
  run "$engine --full ($rows rows)" "$rows" $target --full
done
