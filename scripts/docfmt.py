"""Writers of document formats for synthetic fixtures and corpora, by hand
from the format specifications (ECMA-376 Office Open XML, OASIS
OpenDocument 1.2, RFC 5322/2045/2047) so no office suite is needed.
PDFs are printed by headless Chromium from HTML (Japanese text needs real
embedded fonts with ToUnicode maps, which a browser writes).

Each writer takes the content and returns bytes (or writes the file).
"""
import base64
import io
import os
import subprocess
import tempfile
import zipfile
from email.header import Header
from xml.sax.saxutils import escape


def _zip(parts, stored_first=None):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        if stored_first:
            # OpenDocument: `mimetype` first and uncompressed.
            z.writestr(zipfile.ZipInfo(stored_first[0]), stored_first[1], compress_type=zipfile.ZIP_STORED)
        for name, data in parts:
            # Office applications deflate every part (a ZipInfo alone would store it).
            info = zipfile.ZipInfo(name, date_time=(2024, 4, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def _col(n):
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def xlsx(sheets):
    """sheets: [(name, rows)], rows: [[cell]], cell: str | int | ("date", serial)."""
    ct = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
          '<Default Extension="xml" ContentType="application/xml"/>',
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>',
          '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>']
    wb = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
          '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>']
    rels = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    parts = []
    for i, (name, rows) in enumerate(sheets, start=1):
        ct.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
        wb.append(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>')
        rels.append(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>')
        xml = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
        for r, row in enumerate(rows, start=1):
            if not row:
                continue
            xml.append(f'<row r="{r}">')
            for c, cell in enumerate(row, start=1):
                ref = f"{_col(c)}{r}"
                if cell is None or cell == "":
                    continue
                if isinstance(cell, tuple):  # ("date", serial): a date-formatted number
                    xml.append(f'<c r="{ref}" s="1"><v>{cell[1]}</v></c>')
                elif isinstance(cell, int):
                    xml.append(f'<c r="{ref}"><v>{cell}</v></c>')
                else:
                    xml.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(cell)}</t></is></c>')
            xml.append("</row>")
        xml.append("</sheetData></worksheet>")
        parts.append((f"xl/worksheets/sheet{i}.xml", "".join(xml)))
    n = len(sheets)
    rels.append(f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/styles" Target="styles.xml"/></Relationships>')
    wb.append("</sheets></workbook>")
    ct.append("</Types>")
    styles = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
              '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
              '<borders count="1"><border/></borders>'
              '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
              '<cellXfs count="2"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0" applyNumberFormat="1"/></cellXfs>'
              '</styleSheet>')
    root_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    return _zip([("[Content_Types].xml", "".join(ct)), ("_rels/.rels", root_rels),
                 ("xl/workbook.xml", "".join(wb)), ("xl/_rels/workbook.xml.rels", "".join(rels)),
                 ("xl/styles.xml", styles)] + parts)


def _manifest(mime):
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mime}"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
            '</manifest:manifest>')


ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
          'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2"')


def _odf(mime, body, styles_body=""):
    content = f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}><office:body>{body}</office:body></office:document-content>'
    styles = f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {ODF_NS}>{styles_body}</office:document-styles>'
    return _zip([("META-INF/manifest.xml", _manifest(mime)), ("content.xml", content), ("styles.xml", styles)],
                stored_first=("mimetype", mime))


def ods(sheets):
    """sheets: [(name, rows)], cells: str | int | ("date", "YYYY-MM-DD")."""
    out = []
    for name, rows in sheets:
        out.append(f'<table:table table:name="{escape(name)}">')
        for row in rows:
            out.append("<table:table-row>")
            for cell in row:
                if cell is None or cell == "":
                    out.append("<table:table-cell/>")
                elif isinstance(cell, tuple):
                    out.append(f'<table:table-cell office:value-type="date" office:date-value="{cell[1]}">'
                               f"<text:p>{cell[1]}</text:p></table:table-cell>")
                elif isinstance(cell, int):
                    out.append(f'<table:table-cell office:value-type="float" office:value="{cell}">'
                               f"<text:p>{cell}</text:p></table:table-cell>")
                else:
                    out.append(f'<table:table-cell office:value-type="string"><text:p>{escape(cell)}</text:p></table:table-cell>')
            out.append("</table:table-row>")
        out.append("</table:table>")
    return _odf("application/vnd.oasis.opendocument.spreadsheet",
                f"<office:spreadsheet>{''.join(out)}</office:spreadsheet>")


def odt(paragraphs, header=None):
    """paragraphs: [str | [[cell]] (a table)]; header: text of the page header (styles.xml)."""
    body = []
    for p in paragraphs:
        if isinstance(p, list):
            body.append("<table:table>")
            for row in p:
                body.append("<table:table-row>" + "".join(
                    f"<table:table-cell><text:p>{escape(c)}</text:p></table:table-cell>" for c in row) + "</table:table-row>")
            body.append("</table:table>")
        else:
            body.append(f"<text:p>{escape(p)}</text:p>")
    styles = ""
    if header:
        styles = ('<office:master-styles><style:master-page style:name="Standard">'
                  f"<style:header><text:p>{escape(header)}</text:p></style:header></style:master-page></office:master-styles>")
    return _odf("application/vnd.oasis.opendocument.text", f"<office:text>{''.join(body)}</office:text>", styles)


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _w_paragraph(text):
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def docx(paragraphs, header=None, comment=None):
    """paragraphs: [str | [[cell]]]; header: page header text; comment: a comment's text."""
    body = []
    for p in paragraphs:
        if isinstance(p, list):
            body.append("<w:tbl>")
            for row in p:
                body.append("<w:tr>" + "".join(f"<w:tc>{_w_paragraph(c)}</w:tc>" for c in row) + "</w:tr>")
            body.append("</w:tbl>")
        else:
            body.append(_w_paragraph(p))
    doc = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W_NS}><w:body>{"".join(body)}</w:body></w:document>'
    ct = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
          '<Default Extension="xml" ContentType="application/xml"/>',
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>']
    parts = [("word/document.xml", doc)]
    rels = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    if header:
        ct.append('<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>')
        parts.append(("word/header1.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:hdr {W_NS}>{_w_paragraph(header)}</w:hdr>'))
        rels.append('<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>')
    if comment:
        ct.append('<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>')
        parts.append(("word/comments.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:comments {W_NS}>'
                      f'<w:comment w:id="0" w:author="reviewer">{_w_paragraph(comment)}</w:comment></w:comments>'))
        rels.append('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/>')
    rels.append("</Relationships>")
    ct.append("</Types>")
    root_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    return _zip([("[Content_Types].xml", "".join(ct)), ("_rels/.rels", root_rels),
                 ("word/_rels/document.xml.rels", "".join(rels))] + parts)


A_NS = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"')


def _slide_xml(root, paragraphs):
    ps = "".join(f"<a:p><a:r><a:t>{escape(t)}</a:t></a:r></a:p>" for t in paragraphs)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:{root} {A_NS}><p:cSld><p:spTree>'
            f"<p:sp><p:txBody>{ps}</p:txBody></p:sp></p:spTree></p:cSld></p:{root}>")


def pptx(slides):
    """slides: [(paragraphs, notes paragraphs or None)]."""
    ct = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
          '<Default Extension="xml" ContentType="application/xml"/>',
          '<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>']
    parts = []
    ids = []
    for i, (paras, notes) in enumerate(slides, start=1):
        ct.append(f'<Override PartName="/ppt/slides/slide{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>')
        parts.append((f"ppt/slides/slide{i}.xml", _slide_xml("sld", paras)))
        ids.append(f'<p:sldId id="{255 + i}" r:id="rId{i}"/>')
        if notes:
            ct.append(f'<Override PartName="/ppt/notesSlides/notesSlide{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml"/>')
            parts.append((f"ppt/notesSlides/notesSlide{i}.xml", _slide_xml("notes", notes)))
    rels = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    rels += [f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" '
             f'Target="slides/slide{i}.xml"/>' for i in range(1, len(slides) + 1)]
    rels.append("</Relationships>")
    ct.append("</Types>")
    pres = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:presentation {A_NS} '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<p:sldIdLst>{"".join(ids)}</p:sldIdLst></p:presentation>')
    root_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 'relationships/officeDocument" Target="ppt/presentation.xml"/></Relationships>')
    return _zip([("[Content_Types].xml", "".join(ct)), ("_rels/.rels", root_rels),
                 ("ppt/presentation.xml", pres), ("ppt/_rels/presentation.xml.rels", "".join(rels))] + parts)


def eml(from_name, from_addr, to_addr, subject, body_lines, charset="iso-2022-jp"):
    """A MIME message: encoded-word From/Subject, a base64 text body in `charset`."""
    body = "\n".join(body_lines) + "\n"
    name = Header(from_name, charset).encode()
    subj = Header(subject, charset).encode()
    encoded = base64.encodebytes(body.encode(charset)).decode("ascii")
    return (f"From: {name} <{from_addr}>\r\nTo: {to_addr}\r\nSubject: {subj}\r\n"
            "Date: Mon, 1 Apr 2024 09:00:00 +0900\r\nMessage-ID: <synthetic-1@example.co.jp>\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset={charset}\r\n"
            f"Content-Transfer-Encoding: base64\r\n\r\n{encoded}").encode("ascii")


def chromium():
    for exe in ("chromium", "chromium-browser", "google-chrome"):
        for d in os.environ.get("PATH", "").split(os.pathsep):
            if os.path.exists(os.path.join(d, exe)):
                return os.path.join(d, exe)
    return None


# Set to False to leave PDFs out (their bytes are then empty): Chromium's
# output is not byte-reproducible, so the fixture check regenerates
# everything else.
RENDER_PDF = True


def pdf(pages):
    """pages: [[line]] (a page of text lines) or None (a page with only a
    drawing: no text layer). Printed by headless Chromium; IPA fonts give
    the Japanese glyphs."""
    if not RENDER_PDF:
        return b""
    exe = chromium()
    if not exe:
        raise SystemExit("PDF fixtures need Chromium (apt install chromium fonts-ipafont-gothic)")
    html = ['<!doctype html><meta charset="utf-8"><style>body{font-family:"IPAGothic",sans-serif;font-size:14px}'
            "p{margin:0 0 6px 0}.page{page-break-after:always}</style>"]
    for page in pages:
        if page is None:
            html.append('<div class="page"><svg width="400" height="300"><rect x="10" y="10" width="380" '
                        'height="280" fill="none" stroke="black"/><line x1="10" y1="150" x2="390" y2="150" '
                        'stroke="black"/></svg></div>')
        else:
            html.append('<div class="page">' + "".join(f"<p>{escape(l)}</p>" for l in page) + "</div>")
    with tempfile.TemporaryDirectory() as tmp:
        src, out = os.path.join(tmp, "doc.html"), os.path.join(tmp, "doc.pdf")
        with open(src, "w", encoding="utf-8") as f:
            f.write("".join(html))
        subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--print-to-pdf={out}", src], check=True, capture_output=True)
        with open(out, "rb") as f:
            return f.read()
