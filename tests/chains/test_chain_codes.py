"""Credit codes (GB 32100 check character) and GB/T 4754 industry codes, and the 2011 crosswalk."""

from __future__ import annotations

import pytest

from portfolio_graph.chains.codes import (CodeError, normalize_industry_code, normalize_uscc, to_2017,
                                          uscc_check_char)


def make_uscc(body: str) -> str:
    return body + uscc_check_char(body)


def test_published_credit_codes_pass_and_a_changed_character_fails():
    # Two codes printed on published business licences (the check characters are theirs, not ours).
    for code in ("91350100M000100Y43", "914403001922038216"):
        assert normalize_uscc(code) == code
    with pytest.raises(CodeError, match="check character"):
        normalize_uscc("91350100M000100Y44")
    with pytest.raises(CodeError, match="check character"):
        normalize_uscc("914403001922038217")


def test_credit_codes_are_read_as_stewards_write_them():
    code = make_uscc("91441900MA4W00012")
    assert normalize_uscc(" " + code.lower() + " ") == code
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    assert normalize_uscc(full_width) == code
    assert normalize_uscc(code[:6] + "-" + code[6:]) == code


@pytest.mark.parametrize("bad, words", [
    ("9144190MA4W0001", "characters, not 18"),
    ("91441900MA4W0O012X", "which no credit code uses"),
    ("91AB1900MA4W00012X", "administrative division"),
])
def test_broken_credit_codes_say_what_is_wrong(bad, words):
    with pytest.raises(CodeError, match=words) as info:
        normalize_uscc(bad)
    assert info.value.fix


def test_industry_codes_with_or_without_their_section_letter():
    assert normalize_industry_code("C3973") == "3973"
    assert normalize_industry_code("i6520") == "6520"
    assert normalize_industry_code(3841.0) == "3841"
    assert normalize_industry_code("３９７３") == "3973"
    with pytest.raises(CodeError, match="section C, not I"):
        normalize_industry_code("I3973")
    with pytest.raises(CodeError, match="division 99"):
        normalize_industry_code("9999")
    with pytest.raises(CodeError, match="not a GB/T 4754 class code"):
        normalize_industry_code("39731")


def test_the_2011_code_of_ic_design_becomes_6520_only_when_the_name_says_2011():
    assert to_2017("6550", "集成电路设计") == ["6520"]
    assert to_2017("6550", edition=2011) == ["6520"]
    assert to_2017("6550", "信息处理和存储支持服务") == ["6550"]  # a 2017 code
    assert to_2017("6520", "集成电路设计") == ["6520"]  # 2017 name: no change
    assert to_2017("6520", "信息系统集成服务") == ["6531"]
    assert to_2017("3973", None) == ["3973"]
    assert to_2017(None) == []
