#!/usr/bin/env python3
"""Regenerates the fictional demo case's documents (PDFs, images, text) in this folder.
Everything here is invented: names, dates, references. Needs ImageMagick and the DejaVu fonts."""
import subprocess, zlib, pathlib

HERE = pathlib.Path(__file__).parent
BANNER = "FICTIONAL DEMO DOCUMENT - NOT A REAL CASE"

def pdf(name, title, lines):
    """A small text PDF (Helvetica, one page per 38 lines), written by hand so nothing is needed to build it."""
    pages = [lines[i:i + 38] for i in range(0, len(lines), 38)] or [[]]
    objs = []
    def add(body):
        objs.append(body)
        return len(objs)
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    page_ids, content_ids = [], []
    pages_id_placeholder = len(objs) + 1 + 2 * len(pages)
    for chunk in pages:
        text = ["BT", "/F1 16 Tf", "60 780 Td", "(%s) Tj" % esc(title), "/F1 9 Tf", "0 -18 Td", "(%s) Tj" % BANNER, "/F1 11 Tf"]
        for line in chunk:
            text += ["0 -17 Td", "(%s) Tj" % esc(line)]
        text.append("ET")
        stream = zlib.compress("\n".join(text).encode("cp1252"))
        cid = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
        pid = add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                  % (pages_id_placeholder, font, cid))
        page_ids.append(pid)
    kids = b" ".join(b"%d 0 R" % p for p in page_ids)
    pages_id = add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids)))
    assert pages_id == pages_id_placeholder
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    info = add(b"<< /Title (%s) /Producer (Redress demo generator) >>" % esc(title).encode())
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, info, xref)
    (HERE / name).write_bytes(bytes(out))

def esc(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

def image(name, title, lines, size="900x1200", bg="#f3efe4"):
    args = ["convert", "-size", size, "xc:" + bg, "-font", "DejaVu-Sans", "-fill", "#1d2a38", "-pointsize", "34",
            "-annotate", "+50+90", title, "-pointsize", "20", "-fill", "#8a1c1c", "-annotate", "+50+135", BANNER,
            "-fill", "#1d2a38", "-pointsize", "24"]
    y = 200
    for line in lines:
        args += ["-annotate", "+50+%d" % y, line]
        y += 40
    args += ["-quality", "70", str(HERE / name)]
    subprocess.run(args, check=True)

pdf("arrest-warrant.pdf", "Decision on detention in absentia (translation)", [
    "District court of the city of N. (fictional)",
    "Case no. 1-234/2022 (fictional)",
    "Date: 14 March 2022",
    "",
    "The court orders the detention in absentia of Mikhail Andreevich ORLOV,",
    "born 12 May 1986, charged under Article 207.3 of the Criminal Code",
    "(public dissemination of knowingly false information).",
    "The accused is declared wanted internationally.",
    "",
    "Translator's note: the charge concerns articles published by the accused",
    "as a journalist of an independent regional newspaper.",
])
pdf("case-opening.pdf", "Resolution to open a criminal case (translation)", [
    "Investigative Committee, regional department (fictional)",
    "Date: 2 March 2022",
    "Grounds: publications on the website of the newspaper 'Severny Vestnik' (fictional)",
    "dated 24-28 February 2022 about the war.",
    "Suspect: M. A. Orlov, editor.",
])
pdf("asylum-decision.pdf", "Decision granting asylum (fictional)", [
    "Migration Department (fictional), Vilnius",
    "Decision no. AS-2023-0456 of 9 August 2023",
    "",
    "The applicant Mikhail ORLOV is recognised as a refugee under the 1951 Convention.",
    "The authority finds a well-founded fear of persecution for political opinion:",
    "the criminal prosecution in the country of origin is directed at his journalism.",
    "",
    "CONFIDENTIAL: this decision must not be disclosed to the authorities of the",
    "country of origin.",
])
pdf("extradition-refused.pdf", "Court ruling refusing extradition (fictional)", [
    "Regional Court (fictional), 3rd Criminal Chamber",
    "Ruling of 21 November 2023",
    "",
    "The request of the Prosecutor General's Office for the extradition of",
    "M. A. Orlov is refused. The offence charged is of a political character and",
    "there are substantial grounds to believe the person would face a flagrant",
    "denial of justice (Art. 3 ECHR; Art. 3(2) European Convention on Extradition).",
])
pdf("power-of-attorney.pdf", "Power of attorney (fictional)", [
    "I, Mikhail Andreevich Orlov, born 12 May 1986, authorise",
    "Maître Claire Dubois, avocate, Lyon (fictional),",
    "to represent me before the Commission for the Control of INTERPOL's Files,",
    "including to access all data held on me by INTERPOL.",
    "",
    "Signed at Vilnius, 15 January 2024.",
])
pdf("ccf-acknowledgement.pdf", "CCF acknowledgement of receipt (fictional)", [
    "Commission for the Control of INTERPOL's Files (fictional letter)",
    "Reference: CCF/2024/0000 (fictional)",
    "Your request was received on 3 February 2024.",
    "The Commission will first decide on its admissibility.",
])
pdf("contract-dispute.pdf", "Loan agreement (fictional)", [
    "Agreement between M. A. Orlov and LLC 'Sever-Print' (fictional), 2019.",
    "Printing services for the newspaper; payment schedule; arbitration clause.",
    "Shows the 'fraud' alleged in 2021 was a civil payment dispute.",
])
image("passport.jpg", "Passport - data page (fictional)", [
    "Surname / Фамилия: ORLOV / ОРЛОВ",
    "Given names / Имя: MIKHAIL / МИХАИЛ",
    "Date of birth: 12.05.1986",
    "Passport no.: 00 0000000 (fictional)",
    "[photo]",
])
image("protest-photo.jpg", "Photo: reporting at a protest, 2021", [
    "The applicant with a press badge,",
    "city centre, 23 January 2021",
], size="1200x800", bg="#dfe7ee")
image("newspaper-article.png", "Severny Vestnik (fictional), 26 Feb 2022", [
    "'Voices against the war' - by M. Orlov",
    "The article the prosecution calls 'false information'.",
])
image("bank-letter.png", "Bank notice: account blocked (fictional)", [
    "Your account was blocked on 5 June 2023",
    "after an INTERPOL notice check.",
])
(HERE / "witness-statement.txt").write_text(
    "FICTIONAL DEMO DOCUMENT - NOT A REAL CASE\n\n"
    "Statement of Anna Sokolova (fictional), colleague at Severny Vestnik, 10 October 2023.\n\n"
    "I worked with Mikhail Orlov from 2017 to 2022. On 1 March 2022 officers searched our newsroom\n"
    "and took his computer. They told us the case was about 'the articles on the war'.\n"
    "Обыск в редакции прошёл 1 марта 2022 года; изъяли компьютер Михаила.\n",
    encoding="utf-8")
