"""Agency names: splitting lists, telling collectives from agencies, abbreviations."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from planflow.engine.agencies import (
    Agency,
    agency_word,
    is_collective,
    match_known,
    same_agency,
    short_key,
    split_agencies,
)


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        # two agencies, though "và" also sits inside the first name
        (
            "Sở Khoa học và Công nghệ, Công an Thành phố",
            ["Sở Khoa học và Công nghệ", "Công an Thành phố"],
        ),
        # one: the office of two councils
        ("Văn phòng HĐND và UBND xã", ["Văn phòng HĐND và UBND xã"]),
        ("Văn phòng HĐND - UBND xã Kỳ Lạc", ["Văn phòng HĐND - UBND xã Kỳ Lạc"]),
        # one: pieces that start with no agency word stay with the name before them
        ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("Sở Tài nguyên và Môi trường", ["Sở Tài nguyên và Môi trường"]),
        ("Phòng Văn hóa - Xã hội", ["Phòng Văn hóa - Xã hội"]),
        ("Phòng Kinh tế, UBND xã", ["Phòng Kinh tế", "UBND xã"]),
        ("Công an xã, Ban chỉ huy quân sự xã", ["Công an xã", "Ban chỉ huy quân sự xã"]),
        ("Cục DLQGVN; Cục Du lịch QGVN", ["Cục DLQGVN", "Cục Du lịch QGVN"]),
        ("- Sở Tài chính\n- Sở Nội vụ", ["Sở Tài chính", "Sở Nội vụ"]),
        ("Sở Tài chính - Sở Nội vụ.", ["Sở Tài chính", "Sở Nội vụ"]),
        ("Bộ Công an & Bộ Quốc phòng", ["Bộ Công an", "Bộ Quốc phòng"]),
        ("Ngân hàng Chính sách, Liên hiệp các Hội", ["Ngân hàng Chính sách", "Liên hiệp các Hội"]),
        ("Sở Nội vụ, Sở Nội vụ", ["Sở Nội vụ"]),
        ("", []),
        (" ; , ", []),
    ],
)
def test_split(cell: str, names: list[str]) -> None:
    assert [a.name for a in split_agencies(cell)] == names


@pytest.mark.parametrize(
    "cell",
    [
        "Các phòng chuyên môn",
        "Các sở, ngành, UBND xã, phường",
        "Sở, ban, ngành có liên quan",
        "Các bộ, ngành liên quan",
        "các địa phương",
        "UBND các xã, phường",
        "Những đơn vị được giao",
        "Các phòng, ban, đoàn thể xã",
    ],
)
def test_collective_is_one_group(cell: str) -> None:
    assert split_agencies(cell) == [Agency(cell, collective=True)]


def test_collective_beside_an_agency() -> None:
    assert split_agencies("Các phòng chuyên môn, Văn phòng UBND xã") == [
        Agency("Các phòng chuyên môn", True),
        Agency("Văn phòng UBND xã", False),
    ]
    assert split_agencies("Sở Tài chính; UBND các xã, phường") == [
        Agency("Sở Tài chính", False),
        Agency("UBND các xã, phường", True),
    ]


@pytest.mark.parametrize(
    ("name", "collective"),
    [
        ("UBND xã", False),
        ("Công an Thành phố", False),
        ("Sở Khoa học và Công nghệ", False),
        ("Sở, ban, ngành", True),
        ("UBND xã, phường", True),
        ("", False),
    ],
)
def test_is_collective(name: str, collective: bool) -> None:
    assert is_collective(name) is collective


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("Trung tâm Phục vụ hành chính công", "trung tam"),
        ("Viện kiểm sát nhân dân", "vien kiem sat"),
        ("Tổng cục Thuế", "tong cuc"),
        ("Ủy ban MTTQ", "uy ban"),
        ("Công nghệ", ""),
        ("Môi trường", ""),
    ],
)
def test_agency_word(name: str, word: str) -> None:
    assert agency_word(name) == word


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("Cục DLQGVN", "Cục Du lịch Quốc gia Việt Nam"),
        ("VP HĐND-UBND", "Văn phòng HĐND và UBND xã"),
        ("VP HĐND-UBND", "Văn phòng HĐND-UBND"),
        ("UBND", "Ủy ban nhân dân"),
        ("HĐND", "Hội đồng nhân dân"),
        ("Phòng VHXH", "Phòng Văn hóa - Xã hội"),
        ("Phòng VH-XH", "Phòng Văn hóa – Xã hội xã"),
        ("Phòng KT", "Phòng Kinh tế"),
        ("UBND xã", "Ủy ban nhân dân"),
        ("Công an TP", "Công an Thành phố"),
        ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
        ("cục du lich quoc gia viet nam", "Cục Du lịch Quốc gia Việt Nam"),
    ],
)
def test_same_agency(short: str, full: str) -> None:
    assert same_agency(short, full)
    assert same_agency(full, short)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Phòng Kinh tế", "Phòng Kế toán"),  # both written in full: initials never match them
        ("CA xã", "Công an tỉnh"),  # another place
        ("Phòng KT", "Phòng Văn hóa - Xã hội"),
        ("SỞ TÀI CHÍNH", "Sở Thông tin"),  # capitals throughout are words, not initials
    ],
)
def test_not_same_agency(a: str, b: str) -> None:
    assert not same_agency(a, b)


def test_short_key() -> None:
    assert short_key("Cục Du lịch Quốc gia Việt Nam") == "cdlqgvn"
    assert short_key("Văn phòng HĐND và UBND xã") == "vphdndubnd"
    assert short_key("xã") == "x"  # a place word alone is the name


def test_match_known() -> None:
    known = {
        "KT": ["KT", "Phòng Kinh tế"],
        "KTT": ["KTT", "Phòng Kế toán"],
        "VP": ["VP", "Văn phòng HĐND và UBND xã"],
    }
    assert match_known("VP HĐND-UBND", known) == "VP"
    assert match_known("phòng kinh tế", known) == "KT"
    assert match_known("Phòng KT", known) is None  # Kinh tế or Kế toán: not guessed
    assert match_known("Sở Nội vụ", known) is None


@given(st.text())
def test_split_never_raises(cell: str) -> None:
    for agency in split_agencies(cell):
        assert agency.name.strip()


@given(
    st.lists(
        st.sampled_from(
            [", ", "; ", " và ", " - ", "\n- ", "Sở", "Các", "ban", "ngành", "UBND xã",
             "Công an", "Văn phòng HĐND", "Cục DLQGVN", "phường", "có liên quan", "Khoa học"]
        )
    ).map("".join)
)  # fmt: skip
@example("Sở và , Sở")  # an empty piece between two separators once lost " và "
def test_split_keeps_the_text(cell: str) -> None:
    from planflow.engine.text import fold

    names = split_agencies(cell)
    assert len({fold(a.name) for a in names}) == len(names)  # each name once
    for agency in names:
        assert fold(agency.name) in fold(cell)  # never a name the cell does not hold
        assert agency.collective == is_collective(agency.name)
