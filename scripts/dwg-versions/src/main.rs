//! The house plan of `fixtures/dwg/versions` in six DWG releases: room
//! labels as TEXT, the plan's title and its owner as formatted MTEXT, and a
//! title block's site address and phone as an INSERT's ATTRIBs. R2000 and
//! R2004 store their text in the drawing's code page (ANSI_932, Shift_JIS),
//! R2007 and later in UTF-16. The people and places are made up: common
//! surnames and given names, real towns with random lot numbers, phone
//! numbers in those cities' formats.

use acadrust::entities::{AttributeEntity, EntityType, Insert, MText, Text};
use acadrust::tables::Layer;
use acadrust::types::{DxfVersion, Vector3};
use acadrust::{CadDocument, DwgWriter};

/// Release, file name, code page, owner, site, phone.
const PLANS: &[(DxfVersion, &str, &str, &str, &str, &str)] = &[
    (
        DxfVersion::AC1015,
        "plan_r2000.dwg",
        "ANSI_932",
        "清水 美咲",
        "神奈川県横浜市青葉区美しが丘2-14-3",
        "045-902-3318",
    ),
    (
        DxfVersion::AC1018,
        "plan_r2004.dwg",
        "ANSI_932",
        "石井 大輔",
        "千葉県船橋市本町5-8-21",
        "047-433-5182",
    ),
    (
        DxfVersion::AC1021,
        "plan_r2007.dwg",
        "ANSI_1252",
        "森 由美子",
        "大阪府吹田市千里山西3-12-6",
        "06-6384-7720",
    ),
    (
        DxfVersion::AC1024,
        "plan_r2010.dwg",
        "ANSI_1252",
        "池田 翔太",
        "愛知県名古屋市昭和区八事本町9-4",
        "052-832-1946",
    ),
    (
        DxfVersion::AC1027,
        "plan_r2013.dwg",
        "ANSI_1252",
        "橋本 恵",
        "福岡県福岡市中央区平尾2-5-17",
        "092-524-6603",
    ),
    (
        DxfVersion::AC1032,
        "plan_r2018.dwg",
        "ANSI_1252",
        "山口 直樹",
        "北海道札幌市中央区宮の森1-9-30",
        "011-621-4457",
    ),
];

const ROOMS: &[&str] = &["洋室 6帖", "LDK 16帖", "和室 6帖", "玄関", "浴室"];

fn on(layer: &str, mut entity: EntityType) -> EntityType {
    entity.common_mut().layer = layer.into();
    entity
}

fn main() {
    let dir = std::env::args().nth(1).expect("usage: dwg-versions DIR");
    std::fs::create_dir_all(&dir).unwrap();
    for (version, file, codepage, owner, site, phone) in PLANS {
        let mut doc = CadDocument::with_version(*version);
        doc.header.code_page = codepage.to_string();
        for layer in ["壁", "建具", "室名", "図枠"] {
            doc.layers.add(Layer::new(layer)).unwrap();
        }
        for (i, room) in ROOMS.iter().enumerate() {
            let at = Vector3::new(1000.0 * i as f64, 0.0, 0.0);
            doc.add_entity(on("室名", EntityType::Text(Text::with_value(*room, at)))).unwrap();
        }
        let title = format!("{{\\fMS Gothic|b0;1階平面図}}\\P施主 {owner} 様");
        let at = Vector3::new(0.0, -3000.0, 0.0);
        doc.add_entity(on("図枠", EntityType::MText(Box::new(MText::with_value(title, at)))))
            .unwrap();
        let mut block = Insert::new("図枠", Vector3::new(9000.0, -3000.0, 0.0));
        block.attributes.push(AttributeEntity::new("SITE".into(), format!("建築地 {site}")));
        block.attributes.push(AttributeEntity::new("TEL".into(), format!("TEL {phone}")));
        doc.add_entity(on("図枠", EntityType::Insert(block))).unwrap();
        let path = format!("{dir}/{file}");
        DwgWriter::write_to_file(&path, &doc).unwrap();
        println!("{path}");
    }
}
