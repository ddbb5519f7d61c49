"""Premises types, and where outlets and meetings may not be (OUT Art. 2; TRAIN Art. 9)."""

import enum


class Premises(enum.StrEnum):
    SHOP = "shop"
    OFFICE = "office"
    COMMERCIAL_COMPLEX = "commercial_complex"
    HOTEL = "hotel"
    EXHIBITION_CENTRE = "exhibition_centre"
    OWN_TRAINING_CENTRE = "own_training_centre"
    RESIDENTIAL = "residential"
    PRIVATE_HOME = "private_home"
    SCHOOL = "school"
    HOSPITAL = "hospital"
    MILITARY = "military"
    GOVERNMENT = "government"


# 直销行业服务网点设立管理办法 第二条: not in homes, schools, hospitals, military sites, offices
# of the Party and government.
FORBIDDEN_FOR_OUTLETS = frozenset(
    {Premises.RESIDENTIAL, Premises.PRIVATE_HOME, Premises.SCHOOL, Premises.HOSPITAL,
     Premises.MILITARY, Premises.GOVERNMENT}
)
# 直销员业务培训管理办法 第九条: not in government, military, school or hospital premises,
# residential communities or private homes.
FORBIDDEN_FOR_MEETINGS = FORBIDDEN_FOR_OUTLETS
