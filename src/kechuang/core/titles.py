"""Professional titles (职称) in the reader's language.

A title is typed as free text (an expert's profile, an application's team), nearly always one of the standard
titles of the Chinese professional-title system. An English page writes a standard title in English (教授 →
Professor) and any other as typed: one table, used by every page that shows a title (people36).
"""

from . import language

# the standard titles (the series of higher education, research, engineering, health, economics, accounting,
# agriculture and laboratories), each with the English the ministries' own translations use
TITLES = {
    "教授": "Professor",
    "副教授": "Associate Professor",
    "讲师": "Lecturer",
    "助教": "Teaching Assistant",
    "研究员": "Research Professor",
    "副研究员": "Associate Research Professor",
    "助理研究员": "Assistant Research Professor",
    "研究实习员": "Research Assistant",
    "正高级工程师": "Professor of Engineering",
    "教授级高级工程师": "Professor of Engineering",
    "高级工程师": "Senior Engineer",
    "工程师": "Engineer",
    "助理工程师": "Assistant Engineer",
    "技术员": "Technician",
    "主任医师": "Chief Physician",
    "副主任医师": "Associate Chief Physician",
    "主治医师": "Attending Physician",
    "医师": "Physician",
    "正高级经济师": "Senior Economist (Professor Level)",
    "高级经济师": "Senior Economist",
    "经济师": "Economist",
    "正高级会计师": "Senior Accountant (Professor Level)",
    "高级会计师": "Senior Accountant",
    "会计师": "Accountant",
    "农业技术推广研究员": "Research Professor of Agricultural Extension",
    "高级农艺师": "Senior Agronomist",
    "农艺师": "Agronomist",
    "正高级实验师": "Senior Experimentalist (Professor Level)",
    "高级实验师": "Senior Experimentalist",
    "实验师": "Experimentalist",
}


def title_text(value, *, english: bool | None = None) -> str:
    """A stored title as the reader reads it: a standard title in English on an English page, anything else
    (a title in English already, an unusual one) as typed."""
    text = str(value or "").strip()
    if english is None:
        english = language.english()
    if not english:
        return text
    return TITLES.get(text, text)
