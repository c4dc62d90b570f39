//! DWG drawings (`fixtures/dwg`): house plans in R2000 (CP932 text) and
//! R2018 (UTF-16 string streams) classified by their text like a DXF, with
//! the owner, site and phone of their title block's attributes found, a
//! mechanical part that is not a plan, and damaged or too-old files reported
//! while the rest of the scan goes on.
//!
//! The fixtures at the top of `fixtures/dwg` are written by [`drawing`]
//! below with the `ezdwg-core` writer (regenerate them with
//! `PIIMAP_WRITE_FIXTURES=1 cargo test --test integration dwg_fixtures`);
//! `fixtures/dwg/versions` holds the plan in every release from R2000 to
//! R2018, written by `scripts/dwg-versions` with acadrust, a writer
//! independent of the decoder piimap reads with. LibreDWG reads all of them
//! back with the same texts. The values are made up (common surnames and
//! given names, real towns with random lot numbers, phone numbers in those
//! cities' formats).

use std::collections::BTreeSet;

use ezdwg_core::dwg::version::DwgVersion;
use ezdwg_core::writer::{
    self, AttributeEntity, BlockDef, InsertEntity, LayerDef, MTextEntity, TextEntity, WriterConfig,
    WriterDocument, WriterEntity,
};

use crate::util::*;

/// `$DWGCODEPAGE` numbers of the writer: ANSI_932 (Shift_JIS) and ANSI_1252.
const ANSI_932: u16 = 38;
const ANSI_1252: u16 = 30;

/// A drawing: layers, TEXT entities (value, layer), an MTEXT, and a title
/// block whose ATTDEFs (tag, prompt) are filled in by an INSERT's ATTRIBs.
struct Plan<'a> {
    version: DwgVersion,
    codepage: u16,
    layers: &'a [&'a str],
    texts: &'a [(&'a str, &'a str)],
    mtext: &'a str,
    title: &'a [(&'a str, &'a str, String)],
}

fn text(value: &str, layer: &str, y: f64) -> TextEntity {
    let mut t = TextEntity {
        text: value.into(),
        insert: (0.0, y, 0.0),
        height: 250.0,
        ..Default::default()
    };
    t.common.layer_name = layer.into();
    t
}

/// The DWG bytes of `plan`.
fn drawing(plan: &Plan<'_>) -> Vec<u8> {
    let mut doc = WriterDocument { version: plan.version.clone(), ..Default::default() };
    doc.metadata.codepage = plan.codepage;
    doc.layers
        .extend(plan.layers.iter().map(|l| LayerDef { name: l.to_string(), ..Default::default() }));
    for (i, (value, layer)) in plan.texts.iter().enumerate() {
        doc.modelspace.push(WriterEntity::Text(text(value, layer, 1000.0 * i as f64)));
    }
    let mut mtext = MTextEntity {
        text: plan.mtext.into(),
        insert: (9000.0, 0.0, 0.0),
        text_direction: (1.0, 0.0, 0.0),
        rect_width: 6000.0,
        char_height: 300.0,
        attachment_point: 1,
        drawing_direction: 1,
        ..Default::default()
    };
    mtext.common.layer_name = plan.layers[0].into();
    doc.modelspace.push(WriterEntity::MText(mtext));
    if !plan.title.is_empty() {
        let field = |tag: &str, prompt: &str, value: &str, y: f64| AttributeEntity {
            text: text(value, plan.layers[0], y),
            tag: tag.into(),
            prompt: prompt.into(),
            ..Default::default()
        };
        let defs = plan.title.iter().enumerate().map(|(i, (tag, prompt, _))| {
            WriterEntity::Attdef(Box::new(field(tag, prompt, "", -400.0 * i as f64)))
        });
        doc.blocks.push(BlockDef {
            name: "図枠".into(),
            entities: defs.collect(),
            ..Default::default()
        });
        let attributes = plan
            .title
            .iter()
            .enumerate()
            .map(|(i, (tag, _, value))| field(tag, "", value, -400.0 * i as f64));
        doc.modelspace.push(WriterEntity::Insert(Box::new(InsertEntity {
            common: Default::default(),
            block_name: "図枠".into(),
            insert: (12000.0, 0.0, 0.0),
            scale: (1.0, 1.0, 1.0),
            rotation_rad: 0.0,
            attributes: attributes.collect(),
        })));
    }
    let config = WriterConfig::default();
    match plan.version {
        DwgVersion::R2000 => writer::r2000::write_document(&doc, &config),
        _ => writer::r2018::write_document(&doc, &config),
    }
    .expect("the fixture drawing is writable")
}

const PLAN_LAYERS: &[&str] = &["壁", "建具", "室名", "図枠"];
const PLAN_TEXTS: &[(&str, &str)] = &[
    ("洋室 6帖", "室名"),
    ("LDK 16帖", "室名"),
    ("和室 6帖", "室名"),
    ("玄関", "室名"),
    ("浴室", "室名"),
];

/// The houses at the top of `fixtures/dwg`: file, release, code page, and
/// the owner, site and phone their title block's ATTRIBs fill in.
const HOUSES: &[(&str, DwgVersion, u16, &str, &str, &str)] = &[
    (
        "house_r2000.dwg",
        DwgVersion::R2000,
        ANSI_932,
        "清水 美咲",
        "神奈川県横浜市青葉区美しが丘2-14-3",
        "045-902-3318",
    ),
    (
        "house_r2018.dwg",
        DwgVersion::R2018,
        ANSI_1252,
        "松本 健一",
        "埼玉県さいたま市浦和区岸町4-7-12",
        "048-824-6071",
    ),
];

/// `fixtures/dwg/versions`: release, owner, site and phone of each plan
/// (`scripts/dwg-versions`). R2000 and R2004 keep their text in Shift_JIS,
/// the later releases in UTF-16 string streams.
const RELEASES: &[(&str, &str, &str, &str)] = &[
    ("r2000", "清水 美咲", "神奈川県横浜市青葉区美しが丘2-14-3", "045-902-3318"),
    ("r2004", "石井 大輔", "千葉県船橋市本町5-8-21", "047-433-5182"),
    ("r2007", "森 由美子", "大阪府吹田市千里山西3-12-6", "06-6384-7720"),
    ("r2010", "池田 翔太", "愛知県名古屋市昭和区八事本町9-4", "052-832-1946"),
    ("r2013", "橋本 恵", "福岡県福岡市中央区平尾2-5-17", "092-524-6603"),
    ("r2018", "山口 直樹", "北海道札幌市中央区宮の森1-9-30", "011-621-4457"),
];

/// The fixtures [`drawing`] writes: (path under `fixtures/dwg`, bytes).
fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    let mut out: Vec<_> = HOUSES
        .iter()
        .map(|(file, version, codepage, owner, site, phone)| {
            let title = [
                ("OWNER", "施主名", format!("{owner} 様")),
                ("SITE", "建築地", site.to_string()),
                ("TEL", "電話番号", format!("TEL {phone}")),
            ];
            let plan = Plan {
                version: version.clone(),
                codepage: *codepage,
                layers: PLAN_LAYERS,
                texts: PLAN_TEXTS,
                mtext: "{\\fMS Gothic|b0;1階平面図}\\P縮尺 1/100",
                title: &title,
            };
            (*file, drawing(&plan))
        })
        .collect();
    let part = Plan {
        version: DwgVersion::R2018,
        codepage: ANSI_1252,
        layers: &["外形", "寸法"],
        texts: &[("部品図 ブラケット", "外形"), ("公差 ±0.05", "寸法"), ("M6 ボルト 4本", "外形")],
        mtext: "材質 SS400\\P表面処理 三価クロメート",
        title: &[],
    };
    out.push(("negative/part.dwg", drawing(&part)));
    out
}

#[test]
fn dwg_fixtures_are_what_the_generator_writes() {
    let dir = root().join("fixtures/dwg");
    for (path, bytes) in fixtures() {
        let file = dir.join(path);
        if std::env::var_os("PIIMAP_WRITE_FIXTURES").is_some() {
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, &bytes).unwrap();
        }
        let committed = std::fs::read(&file).unwrap();
        assert!(
            committed == bytes,
            "{path} differs: PIIMAP_WRITE_FIXTURES=1 cargo test dwg_fixtures"
        );
    }
}

#[test]
fn dwg_house_plans_of_every_release_give_their_owner_site_phone_and_floor_plan() {
    let out = piimap(&["scan", "fixtures/dwg", "--format", "jsonl", "--show-values"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let values = jsonl(&out);
    let found: BTreeSet<(String, String, String)> = of_type(&values, "finding")
        .into_iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            // A floor plan has no value: its masked form names the format.
            let value = f["value"].as_str().map_or_else(|| s("masked"), str::to_string);
            (s("path"), s("category"), value)
        })
        .collect();
    let plan = "DWG 住宅の図面 / floor plan";
    // Every house and plan: its owner, site, phone, and the plan itself;
    // nothing from the part drawing.
    let houses = HOUSES
        .iter()
        .map(|(file, _, _, owner, site, phone)| (file.to_string(), owner, site, phone));
    let releases = RELEASES.iter().map(|(release, owner, site, phone)| {
        (format!("versions/plan_{release}.dwg"), owner, site, phone)
    });
    let want: BTreeSet<(String, String, String)> = houses
        .chain(releases)
        .flat_map(|(file, owner, site, phone)| {
            let path = format!("fixtures/dwg/{file}");
            [("name", *owner), ("address", site), ("phone", phone), ("floor_plan", plan)]
                .map(|(c, v)| (path.clone(), c.to_string(), v.to_string()))
        })
        .collect();
    assert_eq!(found, want);
    for plan in of_type(&values, "finding").into_iter().filter(|f| f["category"] == "floor_plan") {
        let reasons: Vec<&str> =
            plan["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
        for reason in ["rooms:", "many-rooms:", "mat-area:", "plan-title:", "wall-layers:"] {
            assert!(reasons.iter().any(|r| r.starts_with(reason)), "{reason} in {reasons:?}");
        }
        assert_eq!(plan["confidence"], "high");
    }
    let summary = of_type(&values, "summary")[0];
    assert_eq!((summary["files"].as_u64(), summary["errors"].as_u64()), (Some(9), Some(0)));
}

#[test]
fn damaged_and_old_dwg_files_are_reported_and_the_rest_is_scanned() {
    let house = std::fs::read(root().join("fixtures/dwg/house_r2018.dwg")).unwrap();
    let tree = Tree::new();
    tree.file("house.dwg", &house);
    tree.file("cut.dwg", &house[..house.len() / 3]);
    let mut scrambled = house.clone();
    scrambled[0x100..].iter_mut().for_each(|b| *b ^= 0x5A);
    tree.file("scrambled.dwg", &scrambled);
    // R2000 keeps its objects in place: with the middle of the file
    // damaged, most objects are lost, but the text objects at its end are
    // still read, and reported along with the error.
    let mut damaged = std::fs::read(root().join("fixtures/dwg/house_r2000.dwg")).unwrap();
    let n = damaged.len();
    damaged[n / 5..n * 4 / 5].iter_mut().for_each(|b| *b ^= 0x5A);
    tree.file("damaged.dwg", &damaged);
    tree.file("r12.dwg", b"AC1009\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00");
    let out = piimap_in(tree.path(), &["scan", ".", "--format", "jsonl"]);
    assert_eq!(code(&out), 2, "{}", String::from_utf8_lossy(&out.stderr));
    let values = jsonl(&out);
    let errors: BTreeSet<(&str, &str)> = errors(&values).into_iter().collect();
    let paths: Vec<&str> = errors.iter().map(|(p, _)| *p).collect();
    assert_eq!(paths, ["./cut.dwg", "./damaged.dwg", "./scrambled.dwg"]);
    for (path, message) in &errors {
        assert!(message.starts_with("corrupt DWG"), "{path}: {message}");
    }
    let damaged = errors.iter().find(|(p, _)| *p == "./damaged.dwg").unwrap().1;
    assert!(damaged.contains("objects could not be parsed"), "{damaged}");
    let skipped = of_type(&values, "skipped");
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["path"], "./r12.dwg");
    assert!(skipped[0]["message"].as_str().unwrap().contains("AC1009"), "{}", skipped[0]);
    let found: BTreeSet<(&str, &str)> = of_type(&values, "finding")
        .into_iter()
        .map(|f| (f["path"].as_str().unwrap(), f["category"].as_str().unwrap()))
        .collect();
    let want: BTreeSet<(&str, &str)> = ["./house.dwg", "./damaged.dwg"]
        .into_iter()
        .flat_map(|p| ["address", "floor_plan", "name", "phone"].map(|c| (p, c)))
        .collect();
    assert_eq!(found, want);
}
