import datetime as dt

import pytest

from extractors import metadata


@pytest.mark.parametrize("prefix,number,doc_type,issuer,province,date,signer,implements", [
    ("000", "49/KH-UBND", "ke_hoach", "Ủy ban nhân dân tỉnh Hưng Yên", "Hưng Yên", dt.date(2023, 3, 15),
     "Nguyễn Hùng Nam", ["31-CTr/TU", "20-NQ/TW"]),
    ("001", "251/KH-UBND", "ke_hoach", "Ủy ban nhân dân tỉnh Kiên Giang", "Kiên Giang", dt.date(2023, 10, 20),
     "Lê Quốc Anh", ["20-NQ/TW", "09/NQ-CP", "34-CTr/TU"]),
    ("002", "26-CTr/TU", "chuong_trinh_hanh_dong", "Huyện ủy Gò Công Tây", None, None,
     "Đình Tấn Hoàng", ["20-NQ/TW"]),
    ("003", "139/KH-UBND", "ke_hoach", "Ủy ban nhân dân tỉnh Nam Định", "Nam Định", dt.date(2022, 10, 13),
     "Trần Anh Dũng", ["23-CTr/TU", "20-NQ/TW"]),
    ("004", "765/VP-KTTH", "cong_van", "Văn phòng Ủy ban nhân dân tỉnh Kon Tum", "Kon Tum", dt.date(2019, 3, 29),
     None, ["63/LMHTXVN-CSPT"]),
])
def test_document_metadata(processed, prefix, number, doc_type, issuer, province, date, signer, implements):
    row = processed[prefix].rows["documents"][0]
    assert row["doc_number"] == number
    assert row["doc_type"] == doc_type
    assert row["issuer"] == issuer
    assert row["province"] == province
    assert row["issue_date"] == date
    assert row["signer"] == signer
    assert row["implements"] == implements
