"""Torture run: thousands of bad and odd inputs through the real `ipdocs check` (and `render`
for what it accepts), counting how each one ended.

    python bench/torture.py [--cases 10000] [--seed 14] [--chunk 40] [--keep DIR]

Families (issue 14): byte and structure mutations of the contract's examples, YAML features
(tags, merge keys, anchors, documents, nesting), JSON edge cases, odd Unicode (surrogates,
control and zero-width characters), a fødselsnummer written every way people write it (in
values, keys, `sak` and file names), encodings (UTF-16, Windows-1252), xlsx mutations (styled
cells far away, entity bombs, DOCTYPE, damaged XML), CSV mutations (huge cells, many columns,
only a header), PDFs, and long file names.

Cases go into folders of `--chunk` files; each folder is one `ipdocs check FOLDER` process,
its output read line by line as it comes (the time between two files' lines is a file's
time). Outcomes, per case:

    made            «I orden» (and, rendered, a whole document)
    refused         «Avvist» with a reason
    internal error  «feil i programmet», a traceback, or a crash that stopped the folder
    hang            no answer within the time limit (tried alone, 30 s)
    silent          neither made nor refused nor an error said
    cut short       rendered, but the document does not end with its section properties
    echoed fnr      a fødselsnummer put into the case appears in the output, however written
    slow / big      over 5 s, or the process over 500 MB

Prints the counts, the slowest case, the largest memory, and examples of every bad outcome.
Goal: 0 of every bad outcome.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ipdocs import skeleton_workbooks  # noqa: E402

DATA = ROOT / "tests" / "data"
TODAY = dt.date(2026, 11, 24)
CASE_LIMIT_S = 5.0
MEMORY_LIMIT_MB = 500
HANG_S = 30.0
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# --- fødselsnummer forms ---------------------------------------------------------------------

FNRS = ("15876510089", "10927030050")  # FORMATS.md's synthetic numbers


def _make(prefix9: str) -> str | None:
    w1, w2 = (3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    k1 = (11 - sum(w * int(d) for w, d in zip(w1, prefix9, strict=True)) % 11) % 11
    if k1 == 10:
        return None
    ten = prefix9 + str(k1)
    k2 = (11 - sum(w * int(d) for w, d in zip(w2, ten, strict=True)) % 11) % 11
    return None if k2 == 10 else ten + str(k2)


def some_number(rng: random.Random) -> str:
    """A valid number: ordinary, D-, H- or test number."""
    while True:
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(30, 99)
        kind = rng.choice(("plain", "d", "h", "test"))
        if kind == "d":
            day += 40
        elif kind == "h":
            month += 40
        elif kind == "test":
            month += 80
        number = _make(f"{day:02d}{month:02d}{year:02d}{rng.randint(0, 499):03d}")
        if number:
            return number


_SUPERSCRIPT = dict(zip("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹", strict=True))
_ARABIC = dict(zip("0123456789", "٠١٢٣٤٥٦٧٨٩", strict=True))
_FULLWIDTH = dict(zip("0123456789", "０１２３４５６７８９", strict=True))


def written(number: str, rng: random.Random) -> str:
    """The number as a person (or a copy-paste) might write it."""
    form = rng.randrange(10)
    if form == 0:
        return number
    if form == 1:
        return f"{number[:6]} {number[6:]}"
    if form == 2:
        return f"{number[:2]} {number[2:4]} {number[4:6]} {number[6:]}"
    if form == 3:
        return f"{number[:2]}.{number[2:4]}.{number[4:6]} {number[6:]}"
    if form == 4:
        return "-".join((number[:2], number[2:4], number[4:6], number[6:]))
    if form == 5:
        return " ".join(number)
    if form == 6:
        return "\u200b".join((number[:6], number[6:]))
    if form == 7:
        table = rng.choice((_SUPERSCRIPT, _ARABIC, _FULLWIDTH))
        return "".join(table[c] for c in number)
    if form == 8:
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    return f"{number[:6]}\u00a0{number[6:]}"


def echoed(number: str, text: str) -> bool:
    """Whether `text` shows `number` in any written form: digits of any script, with any
    separators between them removed."""
    digits = []
    for char in text:
        if "0" <= char <= "9":
            digits.append(char)
        elif char.isspace() or char in ".-:/_\u200b\u200c\u200d\u2060\ufeff\u00ad,":
            continue
        else:
            value = unicodedata.digit(char, None)
            digits.append(str(value) if value is not None else "|")
    return number in "".join(digits)


# --- the examples, and mutations ------------------------------------------------------------

EXAMPLES = {
    p.stem.split("_")[1]: p.read_text(encoding="utf-8") for p in DATA.glob("formats_*.yaml")
}
ODD = (
    "\ud800",
    "\udfff",
    "\x00",
    "\x01",
    "\x0b",
    "\x1b[31m",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\ufffe",
    "e\u0301\u0301\u0301",
    "𝕂𝕒𝕣𝕚",
    "\U0001f600",
    "&amp;<w:p>",
    "]]>",
    "{{ 7*7 }}",
    "{% for x in y %}",
    "\r",
    "\u2028",
)


def yaml_lines(kind: str) -> list[str]:
    return EXAMPLES[kind].splitlines(keepends=True)


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(5)
        at = rng.randrange(max(len(data), 1))
        if op == 0 and data:
            data[at] = rng.randrange(256)
        elif op == 1:
            data[at:at] = bytes([rng.randrange(256)])
        elif op == 2 and data:
            del data[at]
        elif op == 3:
            data = data[: rng.randrange(len(data) + 1)]
        else:
            end = min(len(data), at + rng.randint(1, 40))
            data[at:at] = data[at:end]
    return bytes(data)


def yaml_feature(rng: random.Random) -> tuple[str, bytes]:
    kind = rng.choice(sorted(EXAMPLES))
    lines = yaml_lines(kind)
    snippets = (
        "x: !!timestamp 2026-99-99\n",
        "x: !!int " + "9" * rng.choice((5000, 20000)) + "\n",
        "x: !!float nan\n",
        "x: !!binary AAAA=\n",
        "x: !!python/object:os.system {}\n",
        "x: !custom 1\n",
        "a: &x {b: 1}\nc:\n  <<: *x\n",
        "c:\n  <<: {b: 1}\n  b: 2\n",
        "c:\n  <<: [{b: 1}, {b: 2}]\n",
        "--- \n" + "a: 1\n---\nb: 2\n",
        "x: " + "[" * 500 + "]" * 500 + "\n",
        "x: " + "{a: " * 200 + "1" + "}" * 200 + "\n",
        "? [a, b]\n: c\n",
        'x: "\\ud800"\n',
        'x: "\\x01"\n',
        "x: \x01\n",
        "x: \x7f\n",
        "\t x: 1\n",
        "x: 'a\n",
        "%YAML 1.1\n---\n",
        "x: " + "a" * 200_000 + "\n",
        "!!map\n",
        "x: =\n",
        "<<: 1\n",
    )
    at = rng.randrange(len(lines) + 1)
    lines.insert(at, rng.choice(snippets))
    return kind, "".join(lines).encode("utf-8", "surrogatepass")


def json_case(rng: random.Random) -> bytes:
    import yaml

    kind = rng.choice(sorted(EXAMPLES))
    raw = yaml.safe_load(EXAMPLES[kind])
    text = json.dumps(raw, default=str, ensure_ascii=rng.random() < 0.5)
    choice = rng.randrange(9)
    if choice == 0:
        return text.replace('"Kari Nordmann"', '"Kari\\ud800Nordmann"').encode()
    if choice == 1:
        return ("[" * rng.choice((100, 990, 5000)) + "]" * 10).encode()
    if choice == 2:
        return text.replace('"IP-2026-0042"', "NaN").encode()
    if choice == 3:
        return text.replace('"IP-2026-0042"', "1e999999").encode()
    if choice == 4:
        return text[:-1].encode() + b', "sak": "IP-2"}'
    if choice == 5:
        return b'"just a string"'
    if choice == 6:
        return text.replace('"Kari Nordmann"', '"K\\u0000\\u0007ari"').encode()
    if choice == 7:
        return ('{"x": ' + "1" * 5000 + "}").encode()
    return mutate_bytes(text.encode(), rng)


def unicode_case(rng: random.Random) -> bytes:
    kind = rng.choice(sorted(EXAMPLES))
    text = EXAMPLES[kind]
    for _ in range(rng.randint(1, 3)):
        odd = rng.choice(ODD)
        at = text.find("Kari") if rng.random() < 0.5 else rng.randrange(len(text))
        text = text[:at] + odd + text[at:]
    if rng.random() < 0.5:  # written as a JSON escape in a quoted YAML value
        text = text.replace("Kari Nordmann", '"Kari\\ud800Nordmann"', 1)
    return text.encode("utf-8", "surrogatepass")


def fnr_case(rng: random.Random) -> tuple[str, bytes, str]:
    """(file name, bytes, the number put in)."""
    # Never the number the example's own fødselsnummer field holds: that one is printed.
    number = some_number(rng)
    form = written(number, rng)
    kind = rng.choice(sorted(EXAMPLES))
    text = EXAMPLES[kind]
    where = rng.randrange(7)
    name = "fnr"
    if where == 0:
        text = text.replace("Kari Nordmann", f"Kari {form}", 1).replace(
            "Peder Berg", f"Peder {form}", 1
        )
    elif where == 1:
        text = text.replace("sak: IP-2026-0042", f'sak: "{form}"', 1)
    elif where == 2:
        text += f"\n{form}: x\n"
    elif where == 3:
        text = text.replace("Rådhuset", f"Rådhuset {form}", 1)
    elif where == 4:
        name = f"{form}".replace("/", "-")
    elif where == 5:  # a bad value for the number's field: echoed when refused?
        text = text.replace('"15876510089"', f'"{form}x"').replace('"10927030050"', f'"{form}x"')
    else:
        text = text.replace("dokument:", f"dokument: {form}\nx:", 1)
    return name, text.encode("utf-8"), number


def encoding_case(rng: random.Random) -> tuple[str, bytes]:
    kind = rng.choice(sorted(EXAMPLES))
    text = EXAMPLES[kind]
    suffix = rng.choice((".yaml", ".yml", ".yaml.txt", ".txt", ".json.txt"))
    if suffix == ".json.txt":
        import yaml

        text = json.dumps(yaml.safe_load(text), default=str, ensure_ascii=False)
    enc = rng.choice(
        ("utf-16", "utf-16-le", "utf-16-be", "cp1252", "utf-8-sig", "utf-32", "latin-1")
    )
    data = text.encode(enc, "replace")
    if rng.random() < 0.3:
        data = mutate_bytes(data, rng)
    return suffix, data


# --- workbooks --------------------------------------------------------------------------------

_BASE_BOOKS: dict[str, bytes] = {}


def base_book(kind: str) -> bytes:
    if kind not in _BASE_BOOKS:
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "b.xlsx"
            if kind == "batch":
                skeleton_workbooks.write_batch_workbook(target, today=TODAY)
            else:
                skeleton_workbooks.write_workbook(kind, target, today=TODAY)
            _BASE_BOOKS[kind] = target.read_bytes()
    return _BASE_BOOKS[kind]


def rezip(data: bytes, change) -> bytes:
    """The workbook with `change(name, xml) -> xml` applied to every part."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info.filename)))
    return out.getvalue()


_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)


def xlsx_case(rng: random.Random) -> bytes:
    kind = rng.choice(("referat", "innkalling", "batch"))
    data = base_book(kind)
    choice = rng.randrange(11)
    sheet = f"xl/worksheets/sheet{rng.randint(1, 3)}.xml"

    def on_sheet(fn):
        return rezip(data, lambda name, xml: fn(xml) if name == sheet else xml)

    if choice == 0:  # one styled empty cell far away
        ref = rng.choice(("XFD2000", "A1048576", "XFD1048576", "ZZ5000"))
        row = int(re.sub(r"[A-Z]", "", ref))
        cell = f'<row r="{row}"><c r="{ref}" s="1"/></row>'.encode()
        return on_sheet(lambda xml: xml.replace(b"</sheetData>", cell + b"</sheetData>"))
    if choice == 1:  # a value far away
        ref = rng.choice(("XFD2000", "A1048576", "AB30"))
        row = int(re.sub(r"[A-Z]", "", ref))
        cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()
        return on_sheet(lambda xml: xml.replace(b"</sheetData>", cell + b"</sheetData>"))
    if choice == 2:  # entity bomb
        return on_sheet(
            lambda xml: (
                _BOMB
                + re.sub(rb"^<\?xml[^>]*\?>", b"", xml).replace(
                    b"<sheetData>", b"<sheetData>&lol9;", 1
                )
            )
        )
    if choice == 3:  # a DOCTYPE in another part
        part = rng.choice(
            ("xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml", "xl/sharedStrings.xml")
        )
        return rezip(
            data,
            lambda name, xml: (
                b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd">'
                + re.sub(rb"^<\?xml[^>]*\?>", b"", xml)
                if name == part
                else xml
            ),
        )
    if choice == 4:  # damaged XML
        return on_sheet(lambda xml: mutate_bytes(xml, rng))
    if choice == 5:  # damaged zip
        return mutate_bytes(data, rng)
    if choice == 6:  # odd cell types and values
        odd = rng.choice(
            (
                b'<c r="B3" t="e"><v>#DIV/0!</v></c>',
                b'<c r="B3" t="n"><v>1e308</v></c>',
                b'<c r="B3" t="d"><v>not-a-date</v></c>',
                b'<c r="B3" t="s"><v>99999</v></c>',
                b'<c r="B3" s="9999"><v>45000</v></c>',
                b'<c r="B3" t="b"><v>7</v></c>',
                b'<c r="B3"><f>1/0</f><v>x</v></c>',
                b'<c r="B3" t="inlineStr"><is><t>\xed\xa0\x80</t></is></c>',
                b'<c r="B3" t="inlineStr"><is><t>&#1;x</t></is></c>',
            )
        )
        return on_sheet(
            lambda xml: xml.replace(
                b"</sheetData>",
                b'<row r="300">' + odd.replace(b"B3", b"B300") + b"</row></sheetData>",
            )
        )
    if choice == 7:  # many rows of styled empty cells
        rows = b"".join(
            b'<row r="%d"><c r="A%d" s="1"/></row>' % (r, r)
            for r in range(400, 400 + rng.choice((2000, 60000)))
        )
        return on_sheet(lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>"))
    if choice == 8:  # a zip bomb: a part of zeros
        out = io.BytesIO(data)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z:
            z.writestr("xl/media/zeros.bin", b"\0" * (80 * 1024 * 1024))
        return out.getvalue()
    if choice == 9:  # a fødselsnummer or odd text in a cell
        odd = rng.choice(ODD[4:]).encode("utf-8", "surrogatepass")
        cell = (
            b'<row r="301"><c r="A301" t="inlineStr"><is><t>sted</t></is></c><c r="B301" t="inlineStr"><is><t>'
            + odd
            + b"</t></is></c></row>"
        )
        return on_sheet(lambda xml: xml.replace(b"</sheetData>", cell + b"</sheetData>"))
    return rezip(
        data,
        lambda name, xml: (
            xml
            if name != "xl/workbook.xml"
            else xml.replace(b"<sheets>", b'<sheets><sheet name="X" sheetId="99" r:id="rId99"/>', 1)
        ),
    )


# --- CSV --------------------------------------------------------------------------------------

CSV_HEADER = (
    "sak;bruker;dato;fra;til;sted;tolk;koordinator;koordinator_telefon;deltakere;saksliste\n"
)
CSV_ROW = "IP-2026-0042;Kari Nordmann;03.12.2026;09:00;10:30;Rådhuset;;Ola Hansen;400 31 579;Per Olsen (Fastlege);Status\n"


def csv_case(rng: random.Random) -> bytes:
    choice = rng.randrange(10)
    if choice == 0:
        return (CSV_HEADER + CSV_ROW.replace("Status", "x" * 200_000)).encode()
    if choice == 1:
        return (";".join(f"k{i}" for i in range(20_000)) + "\n" + CSV_ROW).encode()
    if choice == 2:
        return CSV_HEADER.encode()
    if choice == 3:
        return (CSV_HEADER + ";;;;;;;;;;\n" * rng.randint(1, 50)).encode()
    if choice == 4:
        return (CSV_HEADER + CSV_ROW.replace("Kari", 'Ka"ri "x')).encode()
    if choice == 5:
        return (CSV_HEADER + CSV_ROW).encode("utf-16")
    if choice == 6:
        return (CSV_HEADER + CSV_ROW).encode("cp1252")
    if choice == 7:
        return (CSV_HEADER + CSV_ROW + CSV_ROW.replace(";", ";" * 300)).encode()
    if choice == 8:
        return b""
    return mutate_bytes((CSV_HEADER + CSV_ROW * 3).encode(), rng)


def pdf_case(rng: random.Random) -> tuple[str, bytes]:
    name = rng.choice(("IP-2026-0042_samtykke_signert.pdf", "IP-2026-0999_samtykke.pdf", "x.pdf"))
    choice = rng.randrange(3)
    if choice == 0:
        return name, b"%PDF-1.4\n" + bytes(rng.randrange(256) for _ in range(500))
    if choice == 1:
        return name, (
            b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"
        )
    return name, b"not a pdf"


# --- the cases --------------------------------------------------------------------------------

FAMILIES = (
    "yaml-bytes",
    "yaml-features",
    "json",
    "unicode",
    "fnr",
    "encoding",
    "xlsx",
    "csv",
    "pdf",
    "names",
)
WEIGHTS = (20, 14, 10, 12, 18, 6, 10, 5, 1, 4)


def make_case(index: int, rng: random.Random) -> tuple[str, str, bytes, str | None]:
    """(family, file name, bytes, the fødselsnummer in it or None)."""
    family = rng.choices(FAMILIES, WEIGHTS)[0]
    stem = f"c{index:05d}"
    if family == "yaml-bytes":
        kind = rng.choice(sorted(EXAMPLES))
        return family, f"{stem}.yaml", mutate_bytes(EXAMPLES[kind].encode(), rng), None
    if family == "yaml-features":
        _, data = yaml_feature(rng)
        return family, f"{stem}.yaml", data, None
    if family == "json":
        return family, f"{stem}.json", json_case(rng), None
    if family == "unicode":
        return family, f"{stem}.yaml", unicode_case(rng), None
    if family == "fnr":
        name, data, number = fnr_case(rng)
        return family, f"{stem}_{name}.yaml", data, number
    if family == "encoding":
        suffix, data = encoding_case(rng)
        return family, f"{stem}{suffix}", data, None
    if family == "xlsx":
        return family, f"{stem}.xlsx", xlsx_case(rng), None
    if family == "csv":
        return family, f"{stem}.csv", csv_case(rng), None
    if family == "pdf":
        name, data = pdf_case(rng)
        return family, f"{stem}_{name}", data, None
    kind = rng.choice(sorted(EXAMPLES))
    long = "møtereferat-" * rng.randint(10, 19)
    return family, f"{stem}_{long}"[:240] + ".yaml", EXAMPLES[kind].encode(), None


# --- running ----------------------------------------------------------------------------------


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src")
    env.pop("IPDOCS_DEBUG", None)
    return env


def run_folder(args: list[str], cwd: Path, names: list[str], timeout: float):
    """Run ipdocs; (per-name seconds, stdout, stderr, returncode or None on timeout, max MB)."""
    from ipdocs.errors import redact

    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ipdocs", *args],
        cwd=cwd,
        env=_env(),
        preexec_fn=_one_cpu,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    )
    import selectors

    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    sel.register(proc.stderr, selectors.EVENT_READ)
    out, err = [], []
    times: dict[str, float] = {}
    last = start
    pending = list(names)
    timed_out = False
    while sel.get_map():
        remaining = timeout - (time.monotonic() - start)
        if remaining <= 0:
            timed_out = True
            proc.kill()
            break
        for key, _ in sel.select(timeout=min(remaining, 1.0)):
            line = key.fileobj.readline()
            if not line:
                sel.unregister(key.fileobj)
                continue
            (out if key.fileobj is proc.stdout else err).append(line)
            now = time.monotonic()
            for name in list(pending):
                if name in line or redact(name) in line:
                    times[name] = now - last
                    last = now
                    pending.remove(name)
                    break
    _, status, usage = os.wait4(proc.pid, 0)
    code = None if timed_out else os.waitstatus_to_exitcode(status)
    run_folder.cpu = usage.ru_utime + usage.ru_stime  # the last run's CPU seconds
    return times, "".join(out), "".join(err), code, usage.ru_maxrss / 1024


def _one_cpu() -> None:
    """ipdocs on one core: one process, no render workers (the machine is shared)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def alone(work: Path, path: Path) -> tuple[float | None, str, str, float]:
    """`ipdocs check` on one case alone: (CPU seconds it took less start-up, or None for a
    hang; stdout; stderr; MB). CPU time, not wall time, since the machine is shared."""
    _, out, err, code, mb = run_folder(["check", str(path)], work, [path.name], HANG_S)
    if code is None:
        return None, out, err, mb
    return max(run_folder.cpu - BASELINE[0], 0.0), out, err, mb


BASELINE = [0.0]  # CPU seconds of `ipdocs check` on one good file: start-up and a read


def classify(name: str, stdout: str, stderr: str) -> str:
    from ipdocs.errors import redact

    name = redact(name)  # a name holding a fødselsnummer is shown masked
    shown = set()
    for line in stdout.splitlines():
        if line.startswith(("I orden: ", "Laget: ")) and name in line:
            shown.add("made")
        elif line.startswith("Avvist: ") and name in line:
            shown.add("refused")
    for line in stderr.splitlines():
        if name in line and "feil i programmet" in line:
            shown.add("internal")
        elif name in line and line.startswith("Feil: "):
            shown.add("refused")
    if "internal" in shown:
        return "internal error"
    if "refused" in shown:
        return "refused"
    if "made" in shown:
        return "made"
    if name.lower().endswith(".txt") and not name.lower().endswith(_NOTES_TXT):
        return "skipped .txt"  # a folder's .txt that is not notes is left alone (les-meg.txt)
    return "silent"


_NOTES_TXT = (".yaml.txt", ".yml.txt", ".json.txt")


def document_text(path: Path) -> str:
    """The text of every part of a .docx (body, headers, footers, properties)."""
    texts = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                texts.append(re.sub(r"<[^>]+>", "", z.read(name).decode("utf-8", "replace")))
    return "\n".join(texts)


def whole_document(path: Path) -> bool:
    from lxml import etree

    try:
        with zipfile.ZipFile(path) as z:
            root = etree.fromstring(z.read("word/document.xml"))
    except Exception:  # noqa: BLE001 - any unreadable document is cut short
        return False
    body = root.find(f"{{{W}}}body")
    return body is not None and len(body) > 0 and body[-1].tag == f"{{{W}}}sectPr"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="keep the bad cases here")
    parser.add_argument("--no-render", action="store_true", help="only check")
    opts = parser.parse_args()

    rng = random.Random(opts.seed)
    work = Path(tempfile.mkdtemp(prefix="ipdocs-torture-"))
    subprocess.run(
        [sys.executable, "-m", "ipdocs", "init", str(work)],
        env=_env(),
        capture_output=True,
        check=True,
    )
    good = work / "good.yaml"
    good.write_text(EXAMPLES["innkalling"], encoding="utf-8")
    BASELINE[0] = min(alone(work, good)[0] or 0.0 for _ in range(3))
    good.unlink()
    counts: collections.Counter[str] = collections.Counter()
    by_family: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    examples: dict[str, list[str]] = collections.defaultdict(list)
    slowest: list[
        tuple[float, str, str, bytes]
    ] = []  # (seconds in its folder, family, name, bytes)
    biggest = (0.0, "")
    started = time.monotonic()
    cases = [make_case(i, rng) for i in range(opts.cases)]
    try:
        for first in range(0, len(cases), opts.chunk):
            chunk = cases[first : first + opts.chunk]
            folder = work / "inbox" / f"chunk{first:05d}"
            folder.mkdir(parents=True)
            info = {}
            for family, name, data, number in chunk:
                try:
                    (folder / name).write_bytes(data)
                except OSError:  # a name the filesystem does not take: shorter
                    name = name[:100] + ".yaml"
                    (folder / name).write_bytes(data)
                info[name] = (family, number)
            names = sorted(info)
            outcome = _run_chunk(work, folder, names, info, opts)
            for name, (result, seconds, mb) in outcome.items():
                family = info[name][0]
                counts[result] += 1
                by_family[family][result] += 1
                if result not in ("made", "refused", "skipped .txt"):
                    examples[result].append(f"{family}: {name}")
                    if opts.keep:
                        opts.keep.mkdir(parents=True, exist_ok=True)
                        shutil.copy(folder / name, opts.keep / name)
                if result in ("made", "refused"):
                    slowest.append((seconds, family, name, (folder / name).read_bytes()))
                    slowest = sorted(slowest, reverse=True)[:5]
                if mb > biggest[0]:
                    biggest = (mb, f"{family}: {name} (its folder's process)")
            shutil.rmtree(folder)
            shutil.rmtree(work / "outbox", ignore_errors=True)
        # The slowest in their folders, timed again alone.
        timed = []
        for _, family, name, data in slowest:
            path = work / "alone" / name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            cpu = alone(work, path)[0]
            timed.append((HANG_S if cpu is None else cpu, f"{family}: {name}"))
            path.unlink()
        slowest_alone = max(timed, default=(0.0, ""))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.monotonic() - started
    print(f"ipdocs torture run: {opts.cases} cases, seed {opts.seed}, {elapsed:.0f} s")
    for outcome in (
        "made",
        "refused",
        "skipped .txt",
        "internal error",
        "hang",
        "silent",
        "cut short",
        "echoed fnr",
        "slow",
        "big",
    ):
        print(f"  {outcome:<15} {counts.get(outcome, 0):>6}")
    print(
        f"  slowest case    {slowest_alone[0] + BASELINE[0]:.2f} s CPU alone, of which "
        f"{BASELINE[0]:.2f} s start-up ({slowest_alone[1]})"
    )
    print(f"  largest memory  {biggest[0]:.0f} MB ({biggest[1]})")
    print(
        "  per family: "
        + "; ".join(
            f"{family} " + ", ".join(f"{k} {v}" for k, v in sorted(c.items()))
            for family, c in sorted(by_family.items())
        )
    )
    for outcome, names in sorted(examples.items()):
        print(f"  {outcome}: " + ", ".join(names[:8]) + (" …" if len(names) > 8 else ""))
    bad = sum(
        counts.get(k, 0)
        for k in ("internal error", "hang", "silent", "cut short", "echoed fnr", "slow", "big")
    )
    return 1 if bad else 0


def _run_chunk(work: Path, folder: Path, names: list[str], info: dict, opts) -> dict:
    """{name: (outcome, seconds, MB)} for the folder's cases."""
    timeout = CASE_LIMIT_S * len(names) + 20
    times, out, err, code, mb = run_folder(["check", str(folder)], work, names, timeout)
    results: dict[str, tuple[str, float, float]] = {}
    crashed = code is None or ("Ferdig:" not in out)
    for name in names:
        result = classify(name, out, err)
        results[name] = (result, times.get(name, 0.0), mb)
    if crashed or mb > MEMORY_LIMIT_MB:
        # Attribute the hang, crash or memory to the files: each one alone.
        for name in names:
            if results[name][0] in ("made", "refused") and not (mb > MEMORY_LIMIT_MB):
                continue
            cpu, o, e, m = alone(work, folder / name)
            if cpu is None:
                results[name] = ("hang", HANG_S, m)
                continue
            result = classify(name, o, e)
            if "Ferdig:" not in o and result != "internal error":
                result = "internal error"
            if m > MEMORY_LIMIT_MB:
                result = "big"
            results[name] = (result, cpu, m)
    for name, (result, seconds, m) in list(results.items()):
        if result in ("made", "refused") and seconds > CASE_LIMIT_S:
            # The machine is shared: a case is slow only if it is slow again alone.
            cpu, _, _, m = alone(work, folder / name)
            again = HANG_S if cpu is None else cpu
            results[name] = (result if again <= CASE_LIMIT_S else "slow", again, m)
    # Echoed fødselsnummer: in anything the check printed.
    for name, (_family, number) in info.items():
        if number and echoed(number, out + err):
            results[name] = ("echoed fnr", results[name][1], results[name][2])
    if not opts.no_render:
        made = [n for n in names if results[n][0] == "made" and not n.endswith(".pdf")]
        if made:
            render_folder = folder.with_name(folder.name + "-render")
            render_folder.mkdir()
            for n in made:
                shutil.copy(folder / n, render_folder / n)
            _, o, e, c, m = run_folder(
                ["render", "--no-ics", str(render_folder)],
                work,
                made,
                CASE_LIMIT_S * len(made) + 30,
            )
            documents = {}
            for line in o.splitlines():
                match = re.match(r"Laget: (\S+\.docx).*\(fra (.+)\)\s*$", line)
                if match:
                    documents.setdefault(match.group(2), []).append(Path(match.group(1)))
            for n in made:
                if c is None:
                    results[n] = ("hang", results[n][1], m)
                elif classify(n, o, e) == "internal error":
                    results[n] = ("internal error", results[n][1], m)
                elif any(
                    not whole_document(work / p if not p.is_absolute() else p)
                    for p in documents.get(n, [])
                ):
                    results[n] = ("cut short", results[n][1], m)
                elif info[n][1] and (
                    echoed(info[n][1], o + e)
                    or any(
                        echoed(info[n][1], document_text(work / p)) for p in documents.get(n, [])
                    )
                ):
                    results[n] = ("echoed fnr", results[n][1], m)
            shutil.rmtree(render_folder)
    return results


if __name__ == "__main__":
    sys.exit(main())
