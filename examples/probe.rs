use regex_automata::{Input, MatchKind, meta};
fn main() {
    let cat = piimap::detect::catalog::Catalog::builtin().unwrap();
    let text = std::fs::read_to_string("/tmp/bench64/part0000.txt").unwrap();
    let time = |pats: &[&str]| {
        let re = meta::Regex::builder()
            .syntax(regex_automata::util::syntax::Config::new().multi_line(true).crlf(true))
            .configure(
                meta::Config::new()
                    .match_kind(MatchKind::LeftmostFirst)
                    .hybrid_cache_capacity(32 << 20),
            )
            .build_many(pats)
            .unwrap();
        let t = std::time::Instant::now();
        let mut n = 0;
        let mut pos = 0;
        while let Some(m) = re.search(&Input::new(&text).range(pos..)) {
            n += 1;
            pos = m.end().max(m.start() + 1);
            if pos >= text.len() {
                break;
            }
        }
        let s = t.elapsed().as_secs_f64();
        (n, text.len() as f64 / s / 1e6)
    };
    let text_specs: Vec<_> = cat
        .specs
        .iter()
        .filter(|s| {
            !(s.keywords.is_empty() && s.context == piimap::detect::catalog::ContextRule::Required)
        })
        .collect();
    let all: Vec<&str> = text_specs.iter().map(|s| s.pattern.as_str()).collect();
    let (n, mbs) = time(&all);
    println!("ALL {n} {mbs:.1} MB/s");
    for (i, s) in text_specs.iter().enumerate() {
        let without: Vec<&str> =
            all.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, p)| *p).collect();
        let (n, mbs) = time(&without);
        println!("without {:28} {n:>8} {mbs:.1} MB/s", s.id);
    }
}
