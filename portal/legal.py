"""Legal provisions the portal cites next to its errors and warnings, in both languages."""

from .i18n import lazy_gettext as _l

# key -> citation shown as "依据…" / "Under …"
BASIS = {
    "DSR-10": _l("Article 10 of the Direct Selling Regulation"),
    "DSR-15": _l("Article 15 of the Direct Selling Regulation"),
    "DSR-19": _l("Article 19 of the Direct Selling Regulation"),
    "DSR-24": _l("Article 24 of the Direct Selling Regulation"),
    "DSR-25": _l("Article 25 of the Direct Selling Regulation"),
    "DSR-25-1": _l("Article 25(1) of the Direct Selling Regulation"),
    "DSR-25-2": _l("Article 25(2) of the Direct Selling Regulation"),
    "DISC-5": _l("Article 5 of the Measures on Information Reporting and Disclosure of "
                 "Direct-Selling Enterprises"),
    "PPS-7": _l("Article 7 of the Regulation on Prohibition of Pyramid Selling"),
    "OUT-2": _l("Article 2 of the Measures on Service Outlets of the Direct-Selling Industry"),
    "OUT-3": _l("Article 3 of the Measures on Service Outlets of the Direct-Selling Industry"),
    "TRAIN-3": _l("Article 3 of the Measures on Business Training of Direct Sellers"),
    "TRAIN-4": _l("Article 4 of the Measures on Business Training of Direct Sellers"),
    "TRAIN-5": _l("Article 5 of the Measures on Business Training of Direct Sellers"),
    "TRAIN-7": _l("Article 7 of the Measures on Business Training of Direct Sellers"),
    "TRAIN-8": _l("Article 8 of the Measures on Business Training of Direct Sellers"),
    "TRAIN-9": _l("Article 9 of the Measures on Business Training of Direct Sellers"),
    "TRAIN-10": _l("Article 10 of the Measures on Business Training of Direct Sellers"),
}


def cite(key: str | None) -> str:
    """``依据《…》第…条`` for *key*, or an empty string."""
    if not key or key not in BASIS:
        return ""
    return str(_l("Under %(basis)s", basis=BASIS[key]))
