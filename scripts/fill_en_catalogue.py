"""English is the source language: give every untranslated entry of the en catalogue its msgid.

Run after `make translations`; entries already worded differently in English are kept.
"""

from babel.messages.pofile import read_po, write_po

PATH = "portal/translations/en/LC_MESSAGES/messages.po"


def main() -> None:
    with open(PATH, "rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string):
                message.string = tuple(message.id)
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")
    with open(PATH, "wb") as f:
        write_po(f, catalog, width=100, omit_header=False)


if __name__ == "__main__":
    main()
