//! OCR: the text of images (PNG, JPEG, TIFF with its pages, BMP, GIF,
//! WebP) and of PDF pages without a text layer, read by Tesseract, with
//! every word's box on the page so a reviewer can find a finding on the
//! picture.
//!
//! Tesseract runs as its command-line program (`tesseract stdin stdout …
//! tsv`), not through a binding of libtesseract, because:
//! - a scan meets damaged and hostile images; a crash or a runaway decode in
//!   a child process is killed at its time limit and becomes one error
//!   entry, where in-process it would take the whole scan down or hang a
//!   worker for ever;
//! - no C++ library, bindgen or clang joins the build, and a machine without
//!   Tesseract still builds and runs piimap (images are then listed as
//!   skipped, with the reason);
//! - the TSV output already holds what is needed: words, their boxes and
//!   Tesseract's confidence in them.
//!
//! Images are decoded here (the `image` and `tiff` crates), to grey, and
//! the long straight strokes of a form's ruled table are taken out before
//! Tesseract sees the page: with them, its layout analysis takes the table
//! for a picture and reads none of the cells. The page goes to Tesseract as
//! a PGM, read as sparse text (`--psm 11`: every word wherever it is, as a
//! plan's room names are), and lines are rebuilt from the words' boxes, so
//! a form's label and the value beside it are one line. A PDF page is
//! rendered to grey by poppler's `pdftoppm` (its long side at
//! [`PAGE_PIXELS`], about 200 dpi on A4) and read the same way.
//!
//! Budgets: an image larger than `max_bytes` or than [`MAX_PIXELS`] (known
//! from its header, before anything decodes it) is skipped; decoders run
//! under the same pixel limit and inside a panic guard; every program run
//! is killed after `timeout`; at most `max_pages` pages of one PDF or TIFF
//! are read. Tesseract runs one thread per process (`OMP_THREAD_LIMIT=1`):
//! the scan's workers already use every core.

use std::io::{Cursor, Read, Write};
use std::ops::Range;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// When images and pages are read by OCR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Images, and PDF pages without a text layer.
    #[default]
    Auto,
    /// Also PDF pages that have a text layer (a poor OCR layer, a form
    /// filled in by hand over printed labels).
    Always,
    /// Never: images are listed as skipped, judged by their name only.
    Never,
}

/// How OCR runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// When it runs.
    pub mode: Mode,
    /// Tesseract's languages, `+`-joined; those not installed are left out.
    pub languages: String,
    /// The time one program run (one image, one page's rendering) may take.
    pub timeout: Duration,
    /// Images larger than this are skipped.
    pub max_bytes: u64,
    /// Pages of one PDF read by OCR at most.
    pub max_pages: u32,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            mode: Mode::Auto,
            languages: "jpn+eng".to_string(),
            timeout: Duration::from_secs(60),
            max_bytes: 64 << 20,
            max_pages: 50,
        }
    }
}

/// Images with more pixels than this are not decoded (a 12,000 × 8,000
/// scan; a decompression bomb declares far more).
pub const MAX_PIXELS: u64 = 100_000_000;

/// The long side of a rendered PDF page, in pixels.
pub const PAGE_PIXELS: u32 = 2400;

/// Images smaller than this on either side (icons, spacers, tracking
/// pixels) cannot hold a readable line: they are not read.
pub const MIN_SIDE: u32 = 24;

/// At most this much of Tesseract's output is kept (a page of text is a few
/// hundred KiB of TSV).
const MAX_OUTPUT: u64 = 32 << 20;

/// One page's text, a line per OCR line, and where its words are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// 1-based: the TIFF's page, the PDF's page, 1 for other images.
    pub number: u32,
    /// The recognised text, one line per line of the page.
    pub text: String,
    /// The words' boxes, by their bytes in `text`.
    pub layout: Layout,
    /// Tesseract's mean confidence in its words (0–100), weighted by
    /// their length.
    pub confidence: f64,
    /// The text of the reading not kept, when the page was read twice: its
    /// words still count as what the picture shows (a floor plan's room
    /// names), never as values.
    pub other: String,
}

/// A box on the page image: left, top, width, height, in pixels.
pub type BBox = [u32; 4];

/// Where each word of a page's text is on the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    words: Vec<(Range<usize>, BBox)>,
}

impl Layout {
    /// The median height of the words, in pixels.
    fn median_height(&self) -> Option<u32> {
        let mut heights: Vec<u32> = self.words.iter().map(|(_, b)| b[3]).collect();
        heights.sort_unstable();
        heights.get(heights.len() / 2).copied()
    }

    /// Scales every box by `factor` (back to the picture's own pixels).
    fn scale(&mut self, factor: f64) {
        for (_, b) in &mut self.words {
            b.iter_mut().for_each(|v| *v = (f64::from(*v) * factor).round() as u32);
        }
    }

    /// The box around the words that bytes `start..end` of the text touch.
    pub fn bbox(&self, start: usize, end: usize) -> Option<BBox> {
        let mut touched =
            self.words.iter().filter(|(r, _)| r.start < end && start < r.end).map(|(_, b)| *b);
        let first = touched.next()?;
        let [mut x0, mut y0] = [first[0], first[1]];
        let [mut x1, mut y1] = [first[0] + first[2], first[1] + first[3]];
        for [x, y, w, h] in touched {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + w), y1.max(y + h));
        }
        Some([x0, y0, x1 - x0, y1 - y0])
    }
}

/// What the machine offers, found once per process.
#[derive(Debug)]
struct Installed {
    /// Tesseract's installed languages, or why it cannot run.
    languages: Result<Vec<String>, String>,
    /// Whether poppler's `pdftoppm` runs.
    pdftoppm: bool,
}

fn installed() -> &'static Installed {
    static INSTALLED: OnceLock<Installed> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let timeout = Duration::from_secs(20);
        let languages = run(Command::new("tesseract").arg("--list-langs"), &[], timeout)
            .map(|out| {
                // The first line says where the data is; a line a language.
                let text = String::from_utf8_lossy(&out);
                text.lines().skip(1).map(|l| l.trim().to_string()).collect::<Vec<_>>()
            })
            .map_err(|e| format!("Tesseract cannot run ({e})"));
        let pdftoppm = run(Command::new("pdftoppm").arg("-v"), &[], timeout).is_ok();
        Installed { languages, pdftoppm }
    })
}

/// Why OCR cannot run on this machine with these options, as a skipped
/// item's reason says it; `None` when it can.
pub fn unavailable(options: &Options) -> Option<String> {
    match languages(options) {
        Ok(_) => None,
        Err(why) => Some(format!(
            "{why}: not read / OCR 不可 (install tesseract-ocr, tesseract-ocr-jpn and \
             tesseract-ocr-eng, or scan with --ocr never)"
        )),
    }
}

/// Whether PDF pages can be rendered for OCR.
pub fn renders_pdf() -> bool {
    installed().pdftoppm
}

/// The requested languages that are installed, `+`-joined.
fn languages(options: &Options) -> Result<String, String> {
    let installed = installed().languages.as_ref().map_err(Clone::clone)?;
    let chosen: Vec<&str> =
        options.languages.split('+').filter(|l| installed.iter().any(|i| i == l)).collect();
    if chosen.is_empty() {
        return Err(format!("Tesseract has none of the languages {}", options.languages));
    }
    Ok(chosen.join("+"))
}

/// Why an image is not read, before anything decodes it: too large in
/// bytes or pixels. `Ok(false)` for an image too small to hold text.
pub fn admit(bytes: &[u8], options: &Options) -> Result<bool, String> {
    if bytes.len() as u64 > options.max_bytes {
        return Err(format!(
            "image of {} bytes, over the OCR limit of {}: not read",
            bytes.len(),
            options.max_bytes
        ));
    }
    let reader = image::ImageReader::new(Cursor::new(bytes)).with_guessed_format();
    match reader.ok().and_then(|r| r.into_dimensions().ok()) {
        Some((w, h)) => {
            too_large(w, h)?;
            Ok(w >= MIN_SIDE && h >= MIN_SIDE)
        }
        // A TIFF's first page, or an image whose header is damaged: its
        // decoder says.
        None => Ok(true),
    }
}

/// An error when a picture of `w` × `h` is past [`MAX_PIXELS`].
fn too_large(w: u32, h: u32) -> Result<(), String> {
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(format!(
            "image of {w} × {h} pixels, over the OCR limit of {MAX_PIXELS}: not read"
        ));
    }
    Ok(())
}

/// A page as 8-bit grey, a byte a pixel, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

/// Decodes an image to grey pictures: a TIFF's pages (at most `max_pages`,
/// and whether it has more), the first frame of others.
fn decode(bytes: &[u8], max_pages: u32) -> Result<(Vec<Picture>, bool), String> {
    super::guarded("image", || {
        let mut reader = image::ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| format!("corrupt image: {e}"))?;
        if reader.format() == Some(image::ImageFormat::Tiff) {
            return decode_tiff(bytes, max_pages);
        }
        let mut limits = image::Limits::default();
        limits.max_alloc = Some(MAX_PIXELS * 4);
        reader.limits(limits);
        let grey = reader.decode().map_err(|e| format!("corrupt image: {e}"))?.into_luma8();
        let (width, height) = grey.dimensions();
        Ok((vec![Picture { width, height, pixels: grey.into_raw() }], false))
    })
}

/// A TIFF's pages, in grey (at most `max_pages`, and whether it has more).
fn decode_tiff(bytes: &[u8], max_pages: u32) -> Result<(Vec<Picture>, bool), String> {
    use tiff::decoder::{Decoder, DecodingResult, Limits};
    use tiff::{ColorType, tags::Tag};
    let corrupt = |e: tiff::TiffError| format!("corrupt TIFF: {e}");
    let mut limits = Limits::default();
    limits.decoding_buffer_size = (MAX_PIXELS * 4) as usize;
    let mut decoder = Decoder::new(Cursor::new(bytes)).map_err(corrupt)?.with_limits(limits);
    let mut pages = Vec::new();
    loop {
        let (width, height) = decoder.dimensions().map_err(corrupt)?;
        too_large(width, height)?;
        let color = decoder.colortype().map_err(corrupt)?;
        // Fax pages say 0 is white.
        let white_is_zero =
            decoder.get_tag_u32(Tag::PhotometricInterpretation).is_ok_and(|p| p == 0);
        let (channels, bits) = match color {
            ColorType::Gray(b) => (1, b),
            ColorType::GrayA(b) => (2, b),
            ColorType::RGB(b) => (3, b),
            ColorType::RGBA(b) => (4, b),
            other => {
                return Err(format!("TIFF page {}: {other:?} pixels not read", pages.len() + 1));
            }
        };
        let samples: Vec<u8> = match decoder.read_image().map_err(corrupt)? {
            DecodingResult::U8(v) if bits == 1 && channels == 1 => {
                // Rows of packed bits, 1 = black unless 0 is white.
                let row = (width as usize).div_ceil(8);
                let mut out = Vec::with_capacity(width as usize * height as usize);
                for y in 0..height as usize {
                    for x in 0..width as usize {
                        let bit = v.get(y * row + x / 8).map_or(0, |b| (b >> (7 - x % 8)) & 1);
                        out.push(if bit == 1 { 255 } else { 0 });
                    }
                }
                out
            }
            DecodingResult::U8(v) if bits == 8 => v,
            DecodingResult::U16(v) => v.into_iter().map(|s| (s >> 8) as u8).collect(),
            _ => return Err(format!("TIFF page {}: {bits}-bit samples not read", pages.len() + 1)),
        };
        let mut pixels: Vec<u8> = samples
            .chunks_exact(channels)
            .map(|p| {
                let colour = &p[..channels.min(3)];
                (colour.iter().map(|&c| u32::from(c)).sum::<u32>() / colour.len() as u32) as u8
            })
            .collect();
        if white_is_zero {
            pixels.iter_mut().for_each(|p| *p = 255 - *p);
        }
        pixels.resize(width as usize * height as usize, 255);
        pages.push(Picture { width, height, pixels });
        if !decoder.more_images() || pages.len() >= max_pages as usize {
            return Ok((pages, decoder.more_images()));
        }
        decoder.next_image().map_err(corrupt)?;
    }
}

/// How far around a rule its blurred edge is whitened too, in pixels.
const RULE_MARGIN: usize = 2;

/// `mask` grown by `r` pixels along rows and columns (a square of side
/// `2r + 1`), in two passes of a sliding count.
fn dilate(mask: &[bool], w: usize, h: usize, r: usize) -> Vec<bool> {
    let pass = |mask: &[bool], len: usize, lines: usize, at: &dyn Fn(usize, usize) -> usize| {
        let mut out = vec![false; mask.len()];
        for line in 0..lines {
            let mut count = 0usize;
            // The window of position i is i-r ..= i+r.
            for i in 0..len + r {
                if i < len && mask[at(line, i)] {
                    count += 1;
                }
                if i > 2 * r && mask[at(line, i - 2 * r - 1)] {
                    count -= 1;
                }
                if i >= r && count > 0 {
                    out[at(line, i - r)] = true;
                }
            }
        }
        out
    };
    let across = pass(mask, w, h, &|y, x| y * w + x);
    pass(&across, h, w, &|x, y| y * w + x)
}

/// A binary PGM (`P5`, 8-bit), as `pdftoppm -gray` writes it.
fn parse_pgm(bytes: &[u8]) -> Result<Picture, String> {
    let bad = || "the rendered page is no 8-bit PGM".to_string();
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        let start = at;
        while bytes.get(at).is_some_and(|b| !b.is_ascii_whitespace()) {
            at += 1;
        }
        if start == at {
            return Err(bad());
        }
        fields.push(std::str::from_utf8(&bytes[start..at]).map_err(|_| bad())?);
    }
    let number = |s: &str| s.parse::<u32>().map_err(|_| bad());
    let (width, height) = (number(fields[1])?, number(fields[2])?);
    if fields[0] != "P5" || fields[3] != "255" {
        return Err(bad());
    }
    too_large(width, height)?;
    // One whitespace byte ends the header.
    let data = bytes.get(at + 1..).ok_or_else(bad)?;
    let size = width as usize * height as usize;
    if data.len() < size {
        return Err(bad());
    }
    Ok(Picture { width, height, pixels: data[..size].to_vec() })
}

impl Picture {
    /// Whitens the long straight dark strokes — table rules, frames,
    /// walls — so that what they enclose reads as text: runs of dark pixels
    /// along a row or a column longer than a few characters (a skewed rule
    /// is a staircase of such runs), and [`RULE_MARGIN`] pixels around
    /// them, the grey edge a scan blurs a rule into. Text strokes are
    /// shorter.
    fn remove_rules(&mut self) {
        let (w, h) = (self.width as usize, self.height as usize);
        let long = (w.max(h) / 30).max(60);
        let mut rules = vec![false; w * h];
        // Marks the long dark runs of one row or column of `len` pixels,
        // its i-th pixel at `at(i)`.
        let mut mark = |len: usize, at: &dyn Fn(usize) -> usize| {
            let mut start = 0;
            for i in 0..=len {
                if i < len && self.pixels[at(i)] < 150 {
                    continue;
                }
                if i - start >= long {
                    (start..i).for_each(|j| rules[at(j)] = true);
                }
                start = i + 1;
            }
        };
        for y in 0..h {
            mark(w, &|x| y * w + x);
        }
        for x in 0..w {
            mark(h, &|y| y * w + x);
        }
        let rules = dilate(&rules, w, h, RULE_MARGIN);
        for (p, rule) in self.pixels.iter_mut().zip(rules) {
            if rule {
                *p = 255;
            }
        }
    }

    /// The picture scaled by `factor` (below 1: smaller).
    fn scaled(&self, factor: f64) -> Picture {
        let size = |v: u32| ((f64::from(v) * factor).round() as u32).max(1);
        let (width, height) = (size(self.width), size(self.height));
        let grey = image::ImageBuffer::<image::Luma<u8>, &[u8]>::from_raw(
            self.width,
            self.height,
            &self.pixels[..],
        )
        .expect("width × height pixels");
        let small =
            image::imageops::resize(&grey, width, height, image::imageops::FilterType::Triangle);
        Picture { width, height, pixels: small.into_raw() }
    }

    /// The picture as a binary PGM, which Tesseract (Leptonica) reads.
    fn pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.width, self.height).into_bytes();
        out.extend_from_slice(&self.pixels);
        out
    }
}

/// An image's pages as OCR reads them: decoded to grey, rules taken out
/// (at most `max_pages`, and whether there are more).
pub fn pictures(bytes: &[u8], max_pages: u32) -> Result<(Vec<Picture>, bool), String> {
    let (mut pictures, more) = decode(bytes, max_pages)?;
    pictures.iter_mut().for_each(Picture::remove_rules);
    Ok((pictures, more))
}

/// Reads an image's text, a [`Page`] per page (a TIFF can hold several);
/// true when pages past `max_pages` were left unread.
pub fn image(bytes: &[u8], options: &Options) -> Result<(Vec<Page>, bool), String> {
    let languages = languages(options)?;
    let (pictures, more) = pictures(bytes, options.max_pages)?;
    let mut pages = Vec::new();
    for (number, picture) in (1..).zip(pictures) {
        pages.push(Page { number, ..recognise(picture, &languages, options)? });
    }
    Ok((pages, more))
}

/// Renders page `number` of a PDF and reads its text.
pub fn pdf_page(pdf: &[u8], number: u32, options: &Options) -> Result<Page, String> {
    let languages = languages(options)?;
    let n = number.to_string();
    let scale = PAGE_PIXELS.to_string();
    let pgm = run(
        Command::new("pdftoppm").args(["-f", &n, "-l", &n, "-scale-to", &scale]).args([
            "-gray",
            "-singlefile",
            "-",
        ]),
        pdf,
        options.timeout,
    )
    .map_err(|e| format!("cannot render the page for OCR: {e}"))?;
    let mut picture = parse_pgm(&pgm)?;
    picture.remove_rules();
    Ok(Page { number, ..recognise(picture, &languages, options)? })
}

/// Reads one picture's text (its rules taken out). Tesseract misreads
/// large isolated words (a room's name on a plan, 38 pixels high, comes out
/// as noise) that it reads right at about [`TEXT_HEIGHT`]: when the words
/// of a first reading are much taller, the picture is scaled down to that
/// height and read again, and the reading Tesseract is surer of is kept
/// (its boxes scaled back to the picture's pixels), the other's words only
/// as what the picture shows.
fn recognise(picture: Picture, languages: &str, options: &Options) -> Result<Page, String> {
    let page = tesseract(&picture, languages, options)?;
    let Some(height) = page.layout.median_height().filter(|&h| h * 10 > TEXT_HEIGHT * 14) else {
        return Ok(page);
    };
    let scale = f64::from(TEXT_HEIGHT) / f64::from(height);
    let mut again = tesseract(&picture.scaled(scale), languages, options)?;
    again.layout.scale(1.0 / scale);
    let (mut kept, other) =
        if again.confidence > page.confidence { (again, page) } else { (page, again) };
    kept.other = other.text;
    Ok(kept)
}

/// The height of text Tesseract reads best, in pixels.
const TEXT_HEIGHT: u32 = 24;

/// Runs Tesseract on one picture.
fn tesseract(picture: &Picture, languages: &str, options: &Options) -> Result<Page, String> {
    let mut command = Command::new("tesseract");
    command.args(["stdin", "stdout", "-l", languages, "--psm", "11", "tsv"]);
    command.env("OMP_THREAD_LIMIT", "1");
    let tsv = run(&mut command, &picture.pgm(), options.timeout)?;
    Ok(parse_tsv(&String::from_utf8_lossy(&tsv)).into_iter().next().unwrap_or_default())
}

/// Runs a program with `input` on its standard input and returns its
/// standard output; killed at `timeout`, an error when it fails.
fn run(command: &mut Command, input: &[u8], timeout: Duration) -> Result<Vec<u8>, String> {
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{program}: {e}"))?;
    let (mut stdin, stdout, stderr) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take());
    let started = Instant::now();
    std::thread::scope(|s| {
        // A program that stops reading (it failed, or was killed) closes
        // the pipe: the write fails, and the exit status tells why.
        s.spawn(move || stdin.take().map(|mut pipe| pipe.write_all(input)));
        let out = s.spawn(move || read_capped(stdout, MAX_OUTPUT));
        let err = s.spawn(move || read_capped(stderr, 64 << 10));
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) if started.elapsed() >= timeout => {
                    // Killed: its pipes close and the readers end.
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(format!("{program}: stopped at its time limit of {timeout:?}"));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(e) => break Err(format!("{program}: {e}")),
            }
        };
        let (out, err) = (out.join().unwrap_or_default(), err.join().unwrap_or_default());
        let status = status?;
        if status.success() {
            return Ok(out);
        }
        let err = String::from_utf8_lossy(&err);
        let why = err.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message");
        Err(format!("{program} failed ({status}): {}", why.trim()))
    })
}

/// Reads a pipe to its end, keeping its first `cap` bytes.
fn read_capped(pipe: Option<impl Read>, cap: u64) -> Vec<u8> {
    let mut out = Vec::new();
    if let Some(pipe) = pipe {
        let mut pipe = pipe;
        let _ = pipe.by_ref().take(cap).read_to_end(&mut out);
        // Drain the rest, so the program is never blocked on a full pipe.
        let _ = std::io::copy(&mut pipe, &mut std::io::sink());
    }
    out
}

/// Latin words Tesseract is less sure of than this (0–100) are left out.
const MIN_CONFIDENCE: f64 = 50.0;

/// One recognised word and its box.
struct Word<'t> {
    text: &'t str,
    bbox: BBox,
    confidence: f64,
}

impl Word<'_> {
    fn middle(&self) -> u32 {
        self.bbox[1] + self.bbox[3] / 2
    }
}

/// Tesseract's TSV (level, page, block, paragraph, line, word, left, top,
/// width, height, confidence, text) as pages of lines.
///
/// Lines are rebuilt from the words' boxes, not taken from Tesseract's
/// blocks: a word joins a line it overlaps by half its height (or the
/// line's, if lower), and a line's words read left to right. So a form's
/// label and the value in the cell beside it are one line (`氏名 山田太郎`)
/// even where Tesseract saw two blocks.
///
/// Words of a line are joined by a space where the page shows one: always
/// between Latin words; between others (Japanese, which Tesseract cuts into
/// words of a character or a few) only where the gap is wider than the
/// line's height — a Japanese glyph's box leaves up to half an em to the
/// next, about what a space takes — so 東京 都 千代田 区 reads 東京都千代田区
/// while a label and its value, a cell apart, stay two words.
fn parse_tsv(tsv: &str) -> Vec<Page> {
    let mut pages: Vec<(u32, Vec<Word<'_>>)> = Vec::new();
    for row in tsv.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        if cols.len() < 12 || cols[0] != "5" || cols[11].trim().is_empty() {
            continue;
        }
        let Ok(nums) = cols[1..10].iter().map(|c| c.parse::<u32>()).collect::<Result<Vec<_>, _>>()
        else {
            continue;
        };
        let [page, _, _, _, _, left, top, width, height] = nums[..] else { continue };
        if pages.last().is_none_or(|(n, _)| *n != page) {
            pages.push((page, Vec::new()));
        }
        let confidence = cols[10].parse::<f64>().unwrap_or(0.0).max(0.0);
        // Latin letters Tesseract is unsure of are mostly texture (a
        // photo's brickwork read as `Na Na`): left out. Unsure Japanese is
        // kept: a blurred 帖 or 図 still tells a plan.
        if confidence < MIN_CONFIDENCE && cols[11].trim().is_ascii() {
            continue;
        }
        let word = Word { text: cols[11].trim(), bbox: [left, top, width, height], confidence };
        pages.last_mut().expect("pushed above").1.push(word);
    }
    pages.into_iter().map(|(number, words)| page_of(number, words)).collect()
}

/// A page's text from its words, lines rebuilt by position.
fn page_of(number: u32, mut words: Vec<Word<'_>>) -> Page {
    let chars: usize = words.iter().map(|w| w.text.chars().count()).sum();
    let weighted: f64 = words.iter().map(|w| w.confidence * w.text.chars().count() as f64).sum();
    let confidence = if chars == 0 { 0.0 } else { weighted / chars as f64 };
    words.sort_by_key(|w| (w.middle(), w.bbox[0]));
    // (top, bottom, words) of each line, top to bottom.
    let mut lines: Vec<(u32, u32, Vec<Word<'_>>)> = Vec::new();
    for word in words {
        let (top, bottom) = (word.bbox[1], word.bbox[1] + word.bbox[3]);
        let near = lines.iter_mut().rev().take(4).find(|(t, b, _)| {
            let overlap = bottom.min(*b).saturating_sub(top.max(*t));
            overlap * 2 >= word.bbox[3].min(*b - *t)
        });
        match near {
            Some((t, b, line)) => {
                (*t, *b) = ((*t).min(top), (*b).max(bottom));
                line.push(word);
            }
            None => lines.push((top, bottom, vec![word])),
        }
    }
    let mut page = Page { number, confidence, ..Page::default() };
    for (top, bottom, mut line) in lines {
        let line_height = bottom - top;
        line.sort_by_key(|w| w.bbox[0]);
        let mut last: Option<(u32, char)> = None;
        for word in line {
            if let Some((right, before)) = last {
                let first = word.text.chars().next().unwrap_or(' ');
                let latin = |c: char| c.is_ascii_alphanumeric();
                let gap = word.bbox[0].saturating_sub(right);
                if (latin(before) && latin(first)) || gap > line_height {
                    page.text.push(' ');
                }
            }
            let start = page.text.len();
            page.text.push_str(word.text);
            page.layout.words.push((start..page.text.len(), word.bbox));
            last = Some((word.bbox[0] + word.bbox[2], word.text.chars().last().unwrap_or(' ')));
        }
        page.text.push('\n');
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n";

    fn tsv(rows: &[(u32, u32, u32, u32, &str)]) -> String {
        // (page, line, left, width, text), height 30, top 100 × line.
        let mut out = HEADER.to_string();
        out.push_str("1\t1\t0\t0\t0\t0\t0\t0\t800\t600\t-1\t\n");
        for &(page, line, left, width, text) in rows {
            let top = 100 * line;
            out.push_str(&format!(
                "5\t{page}\t1\t1\t{line}\t1\t{left}\t{top}\t{width}\t30\t91.5\t{text}\n"
            ));
        }
        out
    }

    #[test]
    fn words_join_as_the_page_spaces_them() {
        let pages = parse_tsv(&tsv(&[
            (1, 1, 10, 60, "氏名"),
            (1, 1, 110, 60, "山田"),
            (1, 1, 185, 60, "太郎"),
            (1, 2, 10, 60, "東京"),
            (1, 2, 72, 30, "都"),
            (1, 2, 118, 90, "千代田"),
            (1, 3, 10, 60, "Taro"),
            (1, 3, 72, 60, "Yamada"),
            (2, 1, 10, 200, "090-1234-5678"),
        ]));
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].text, "氏名 山田太郎\n東京都千代田\nTaro Yamada\n");
        assert_eq!((pages[1].number, pages[1].text.as_str()), (2, "090-1234-5678\n"));
        // 山田太郎: from 山田's left edge to 太郎's right edge.
        let start = pages[0].text.find("山田").unwrap();
        let end = start + "山田太郎".len();
        assert_eq!(pages[0].layout.bbox(start, end), Some([110, 100, 135, 30]));
        assert_eq!(pages[0].layout.bbox(0, 0), None);
        assert!(parse_tsv(HEADER).is_empty());
        // A word Tesseract is unsure of is left out.
        // Unsure Latin letters are left out; unsure Japanese is kept.
        let unsure = format!(
            "{HEADER}5\t1\t1\t1\t1\t1\t10\t10\t40\t30\t33.9\tNa\n\
             5\t1\t1\t1\t2\t1\t10\t60\t30\t30\t23.0\t帖\n"
        );
        assert_eq!(parse_tsv(&unsure)[0].text, "帖\n");
        assert!(parse_tsv("garbage\n5\tx\n").is_empty());
    }

    #[test]
    fn budgets_are_known_before_decoding() {
        // A PNG's signature, header (8-bit grey) and a first data chunk,
        // CRCs right: all a decoder reads to say the size.
        let chunk = |name: &[u8], data: &[u8]| {
            let mut body = name.to_vec();
            body.extend(data);
            let crc = !body.iter().fold(!0u32, |mut c, &b| {
                c ^= u32::from(b);
                for _ in 0..8 {
                    c = if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
                }
                c
            });
            let mut out = (data.len() as u32).to_be_bytes().to_vec();
            out.extend(body);
            out.extend(crc.to_be_bytes());
            out
        };
        let png = |w: u32, h: u32| {
            let header = [&w.to_be_bytes()[..], &h.to_be_bytes(), &[8, 0, 0, 0, 0]].concat();
            let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
            b.extend(chunk(b"IHDR", &header));
            b.extend(chunk(b"IDAT", &[0x78, 0x9C]));
            b
        };
        let options = Options::default();
        assert_eq!(admit(&png(1200, 900), &options), Ok(true));
        assert_eq!(admit(&png(16, 16), &options), Ok(false));
        assert_eq!(
            admit(&png(50_000, 50_000), &options).unwrap_err(),
            "image of 50000 × 50000 pixels, over the OCR limit of 100000000: not read"
        );
        let small = Options { max_bytes: 10, ..Options::default() };
        assert!(admit(&png(100, 100), &small).unwrap_err().contains("over the OCR limit of 10"));
        assert!(decode(&png(100, 100), 5).unwrap_err().starts_with("corrupt image"));
        assert!(decode(b"II*\0\x08\0\0\0garbage", 5).unwrap_err().starts_with("corrupt TIFF"));
    }

    #[test]
    fn masks_grow_by_the_margin() {
        let mut mask = vec![false; 7 * 5];
        mask[2 * 7 + 3] = true;
        let grown = dilate(&mask, 7, 5, 1);
        let set: Vec<(usize, usize)> =
            (0..35).filter(|&i| grown[i]).map(|i| (i % 7, i / 7)).collect();
        assert_eq!(set, [(2, 1), (3, 1), (4, 1), (2, 2), (3, 2), (4, 2), (2, 3), (3, 3), (4, 3)]);
        let edge = dilate(&[true, false, false, false], 4, 1, 2);
        assert_eq!(edge, [true, true, true, false]);
    }

    #[test]
    fn rules_go_and_text_stays() {
        // A 200 × 100 page: a frame, a rule across, and a short stroke.
        let (w, h) = (200usize, 100usize);
        let mut pixels = vec![255u8; w * h];
        for x in 0..w {
            pixels[x] = 0;
            pixels[50 * w + x] = 0;
        }
        for y in 0..h {
            pixels[y * w] = 0;
        }
        for x in 20..40 {
            pixels[30 * w + x] = 0;
        }
        let mut picture = Picture { width: w as u32, height: h as u32, pixels };
        picture.remove_rules();
        assert!(picture.pixels[..w].iter().all(|&p| p == 255));
        assert!(picture.pixels[50 * w..51 * w].iter().all(|&p| p == 255));
        assert_eq!(picture.pixels[70 * w], 255);
        assert!(picture.pixels[30 * w + 20..30 * w + 40].iter().all(|&p| p == 0));
        let pgm = picture.pgm();
        assert!(pgm.starts_with(b"P5\n200 100\n255\n"));
        assert_eq!(parse_pgm(&pgm), Ok(picture));
        assert!(parse_pgm(b"P6\n2 2\n255\n0123456789ab").is_err());
        assert!(parse_pgm(b"P5\n2 2\n255\n01").is_err());
    }

    #[test]
    fn a_program_past_its_time_is_stopped() {
        let started = Instant::now();
        let e = run(Command::new("sleep").arg("5"), &[], Duration::from_millis(200)).unwrap_err();
        assert_eq!(e, "sleep: stopped at its time limit of 200ms");
        assert!(started.elapsed() < Duration::from_secs(4));
        let e = run(&mut Command::new("false"), b"input", Duration::from_secs(5)).unwrap_err();
        assert!(e.starts_with("false failed (exit status: 1)"), "{e}");
        assert_eq!(run(&mut Command::new("cat"), b"abc", Duration::from_secs(5)).unwrap(), b"abc");
        assert!(run(&mut Command::new("/nonexistent/x"), &[], Duration::from_secs(1)).is_err());
    }
}
