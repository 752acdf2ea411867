"""Report repair around a `?` decoder's shown lost byte (issue #15, session 21 `repair15`). Pages are damaged with
the forward model's own byte-level steps (benchmarks/ingest/forward.py: GBK bytes, reading aids inserted after
every occurrence of their character's bytes, full-width marks written in their ASCII form, then the decoder).

1. A run read out of step that closes on a lost trail before a figure: the `?` decoder showed the orphaned lead
   together with the ASCII byte after it, a digit of the figure, so the last character is chosen before a digit,
   among its lead's characters that make a word with the character before (`萍疾渴?2项` for 科技部署42项: 署 =
   CA F0, not among CA's commonest; 部属 was read).
2. A lost byte shown right after a character's own aid is a lost lead only where a re-reading looks at it; where
   none does (`公里(lǐ)?必撠熑?rén)說`, no letter closes the run), the aid's reading is weighed as before rather
   than leaving the run garbled."""

from collections import Counter

from kechuang.ingest.parsers import repair
from kechuang.ingest.tests import bench
from kechuang.ingest.tests.marks import as_read

forward = bench.load("forward.py")

# a `?` page needs one broken `?` the step reads as lost (an aid inside a character: 缣 = E7 CC straddles 寸|碳,
# its aid lands inside 碳), or it reads its `?` marks as written ones
_HEAD = "大尺寸碳化硅单晶衬底项目。"


def _site(text: str, aided: tuple[str, ...]) -> str:
    data = forward._Bytes(_HEAD + text)
    forward._ascii_marks(data, Counter())
    forward._aids(data, ["缣", *aided], Counter())
    return forward.site_decode(bytes(data.buf), "qmark")


def test_the_character_before_an_eaten_digit_is_chosen_before_a_digit():
    # ？ (A3 BF) straddles 。|科 and is written `?`; 。's lead, orphaned, eats it; the run reads one byte out of
    # step up to 署's lead CA, orphaned by the `4`, which the decoder eats too
    page = _site("今年围绕三个方面。科技部署42项重点任务。", ())
    assert "疾渴?2项" in page
    out = repair(page).text
    assert "科技部署" in as_read(out) and "部属" not in out
    assert "〔存疑：？〕2项" in out  # the eaten digit itself no byte holds: marked


def test_a_lost_byte_after_an_aid_that_no_rereading_takes_keeps_the_aid_reading():
    page = _site("“明年我們打算再延伸3公里。”負責人說。", ("里", "人"))
    assert "公里(lǐ)?必撠熑?rén)說" in page
    out = repair(page).text
    assert "负责人说" in as_read(out) and "必撠熑" not in out


def test_a_lost_lead_after_an_aid_closed_by_a_symbol_is_not_read_as_an_aid_inside():
    # `規(guī)?唾|量` for 規模和質量: the `?` is 模's lead, orphaned; the run is a re-reading's (its one character
    # read as U+FFFD), so the aid is not taken as one that landed inside 規
    page = _site("省科技廳把促進科技成果轉化作為重中之重，成果轉化規模和質量同步提升。", ("規", "轉"))
    assert "規(guī)?唾|量" in page
    out = repair(page).text
    assert "规〔存疑：" in out and "㈩" not in out
