"""Apply translations from a Python dict file {msgid: msgstr} to a catalogue (a translator's aid).

    python scripts/po_apply.py zh_Hans_CN translations.py
"""

import runpy
import sys

from babel.messages.pofile import read_po, write_po


def main(locale: str, source: str) -> None:
    path = f"portal/translations/{locale}/LC_MESSAGES/messages.po"
    mapping = next(v for k, v in runpy.run_path(source).items() if k.isupper())
    with open(path, "rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if message.id and not isinstance(message.id, tuple) and message.id in mapping:
            message.string = mapping[message.id]
            message.flags.discard("fuzzy")
    with open(path, "wb") as f:
        write_po(f, catalog, width=100)
    missing = [m.id for m in catalog if m.id and not m.string]
    print(f"{path}: {len(missing)} untranslated", *missing, sep="\n  ")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
