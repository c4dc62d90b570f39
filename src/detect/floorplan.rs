//! Floor plans (住宅の図面): a scored, explainable classification of a drawing
//! (or a PDF or image, by its name) from the signals in
//! `patterns/floorplan.toml` — plan titles, room names, wall layers, file
//! names for; elevations, site plans and mechanical vocabulary against.
//!
//! It sees only words (layer names, texts, a file name), never files.

use serde::Deserialize;

use crate::finding::Confidence;

/// The built-in rules.
const BUILTIN: &str = include_str!("../../patterns/floorplan.toml");

/// What a `floor-plan` finding means, in English.
pub const DESCRIPTION_EN: &str = "A drawing of a home (floor plan): scored from plan titles, room \
     names, wall layers and the file name; with an address or contact in the same file it \
     identifies the home.";

/// What a `floor-plan` finding means, in Japanese.
pub const DESCRIPTION_JA: &str = "住宅の図面（間取り図・平面図）。表題・部屋名・画層・ファイル名から判定し、\
     同じファイルに住所や連絡先があれば住宅を特定できる。";

/// Where a signal looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Where {
    /// Text entities, titles, room labels.
    Text,
    /// Layer names.
    Layer,
    /// The file name.
    Name,
    /// A building model's entity types and occupancy (IFC).
    Model,
}

/// What a drawing, document or picture shows, as the rules look at it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Seen<'a> {
    /// Layer names.
    pub layers: &'a [String],
    /// Texts: entities, titles, a page's lines, words read off a picture.
    pub texts: &'a [String],
    /// A building model's facts ([`crate::read::cad::Drawing::model`]).
    pub model: &'a [String],
}

/// One piece of evidence.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signal {
    /// Stable id, shown in reasons.
    pub id: String,
    /// Where the words are looked for.
    #[serde(rename = "where")]
    pub place: Where,
    /// Words (case-insensitive substrings).
    pub words: Vec<String>,
    /// How many distinct words must appear.
    #[serde(default = "one")]
    pub min: usize,
    /// Added to the score when the signal fires (negative: evidence against).
    pub weight: i32,
    /// The reason in Japanese.
    pub ja: String,
    /// The reason in English.
    pub en: String,
}

fn one() -> usize {
    1
}

/// The classifier.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// A floor plan from this score on.
    pub threshold: i32,
    /// High confidence from this score on.
    pub high: i32,
    /// The evidence.
    #[serde(rename = "signal")]
    pub signals: Vec<Signal>,
}

/// The outcome for one drawing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The total score.
    pub score: i32,
    /// Whether the score reaches the threshold.
    pub is_floor_plan: bool,
    /// Medium at the threshold, high at `high`.
    pub confidence: Confidence,
    /// `id: en / ja (+weight)` for every signal that fired, in rule order.
    pub reasons: Vec<String>,
}

impl Rules {
    /// The built-in rules.
    pub fn builtin() -> Result<Rules, toml::de::Error> {
        toml::from_str(BUILTIN)
    }

    /// Scores a drawing from what it shows and its file name.
    pub fn classify(&self, seen: Seen<'_>, name: &str) -> Verdict {
        let lower = |items: &[String]| items.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>();
        let (layers, texts, name) = (lower(seen.layers), lower(seen.texts), name.to_lowercase());
        let model = lower(seen.model);
        let mut score = 0;
        let mut reasons = Vec::new();
        for s in &self.signals {
            let found = s
                .words
                .iter()
                .filter(|w| {
                    let w = w.to_lowercase();
                    match s.place {
                        Where::Text => texts.iter().any(|t| t.contains(&w)),
                        Where::Layer => layers.iter().any(|l| l.contains(&w)),
                        Where::Name => name.contains(&w),
                        Where::Model => model.iter().any(|m| m.contains(&w)),
                    }
                })
                .count();
            if found >= s.min {
                score += s.weight;
                reasons.push(format!("{}: {} / {} ({:+})", s.id, s.en, s.ja, s.weight));
            }
        }
        let confidence = if score >= self.high { Confidence::High } else { Confidence::Medium };
        Verdict { score, is_floor_plan: score >= self.threshold, confidence, reasons }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
    }

    /// Scores layers, texts and a name with the built-in rules.
    fn classify(layers: &[String], texts: &[String], name: &str) -> Verdict {
        Rules::builtin().unwrap().classify(Seen { layers, texts, model: &[] }, name)
    }

    #[test]
    fn house_plans_score_and_say_why() {
        let v = classify(
            &words(&["壁", "建具", "室名"]),
            &words(&["1階平面図", "洋室 6帖", "LDK 16帖", "玄関", "浴室"]),
            "plan.dxf",
        );
        assert!(v.is_floor_plan);
        assert_eq!(v.confidence, Confidence::High);
        let ids: Vec<_> = v.reasons.iter().map(|r| r.split(':').next().unwrap()).collect();
        assert_eq!(ids, ["plan-title", "rooms", "many-rooms", "mat-area", "wall-layers"]);
        assert_eq!(v.score, 3 + 3 + 2 + 1 + 2);
    }

    #[test]
    fn other_drawings_do_not() {
        let elevation = classify(&words(&["壁", "窓"]), &words(&["南立面図", "GL"]), "a.dxf");
        assert!(!elevation.is_floor_plan);
        let part = classify(&words(&["0"]), &words(&["部品図", "公差 ±0.1", "M6 ボルト"]), "p.dxf");
        assert!(!part.is_floor_plan);
        let site = classify(&words(&["敷地"]), &words(&["配置図", "道路", "隣地境界線"]), "s.dxf");
        assert!(!site.is_floor_plan);
        let empty = classify(&words(&["0"]), &[], "x.dxf");
        assert_eq!((empty.is_floor_plan, empty.score), (false, 0));
    }

    #[test]
    fn office_plans_and_bare_titles_are_not_homes() {
        let office = classify(
            &words(&["壁", "建具"]),
            &words(&["3階平面図", "会議室", "執務室", "給湯室"]),
            "f3.dxf",
        );
        assert!(!office.is_floor_plan, "{office:?}");
        // An owner counts as a reason but adds nothing: every building has one.
        let owner = classify(&[], &words(&["平面図", "施主 山田様"]), "a.dxf");
        assert!(!owner.is_floor_plan);
        assert!(owner.reasons.iter().any(|r| r.starts_with("owner:")));
    }

    #[test]
    fn a_building_model_is_a_home_whatever_its_language() {
        let rules = Rules::builtin().unwrap();
        let model = |facts: &[&str], texts: &[&str]| {
            let (facts, texts) = (words(facts), words(texts));
            rules.classify(Seen { layers: &[], texts: &texts, model: &facts }, "m.ifc")
        };
        let walls = ["IFCWALLSTANDARDCASE", "IFCDOOR", "IFCWINDOW"];
        // German room names: the model alone says it.
        let house =
            model(&[&["IFCSPACE", "IFCPOSTALADDRESS"][..], &walls].concat(), &["Wohnzimmer"]);
        assert!(house.is_floor_plan, "{house:?}");
        assert_eq!(house.score, 3 + 2 + 1);
        let home = model(&[&["IFCSPACE", "OCCUPANCY=RESIDENTIAL"][..], &walls].concat(), &[]);
        assert_eq!((home.score, home.confidence), (8, Confidence::High));
        let office = model(&[&["IFCSPACE", "OCCUPANCY=OFFICE"][..], &walls].concat(), &[]);
        assert!(!office.is_floor_plan, "{office:?}");
        // Walls without rooms: a structure, not a plan of a home.
        assert!(!model(&walls, &[]).is_floor_plan);
    }

    #[test]
    fn a_file_name_alone_can_say_it() {
        let v = classify(&[], &[], "山田様邸_間取り図.png");
        assert!(v.is_floor_plan);
        assert_eq!(v.confidence, Confidence::Medium);
        assert!(!classify(&[], &[], "holiday.jpg").is_floor_plan);
    }
}
