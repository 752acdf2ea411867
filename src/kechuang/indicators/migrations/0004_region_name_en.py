"""Regions get an English name (the official pinyin-based form: 甘肃省 Gansu, 兰州市 Lanzhou): the divisions the
project knows (every province-level one, the prefecture-level ones of Shanxi and Gansu, the country as a whole)
are filled by their GB/T 2260 code or Chinese name; any other region keeps a blank English name (shown by its
name as typed). The table is a copy of accounts.regions as it stood, so the migration reads the same later."""

from django.db import migrations, models

KNOWN = {
    "110000": ("北京市", "Beijing"),
    "120000": ("天津市", "Tianjin"),
    "130000": ("河北省", "Hebei"),
    "140000": ("山西省", "Shanxi"),
    "150000": ("内蒙古自治区", "Inner Mongolia"),
    "210000": ("辽宁省", "Liaoning"),
    "220000": ("吉林省", "Jilin"),
    "230000": ("黑龙江省", "Heilongjiang"),
    "310000": ("上海市", "Shanghai"),
    "320000": ("江苏省", "Jiangsu"),
    "330000": ("浙江省", "Zhejiang"),
    "340000": ("安徽省", "Anhui"),
    "350000": ("福建省", "Fujian"),
    "360000": ("江西省", "Jiangxi"),
    "370000": ("山东省", "Shandong"),
    "410000": ("河南省", "Henan"),
    "420000": ("湖北省", "Hubei"),
    "430000": ("湖南省", "Hunan"),
    "440000": ("广东省", "Guangdong"),
    "450000": ("广西壮族自治区", "Guangxi"),
    "460000": ("海南省", "Hainan"),
    "500000": ("重庆市", "Chongqing"),
    "510000": ("四川省", "Sichuan"),
    "520000": ("贵州省", "Guizhou"),
    "530000": ("云南省", "Yunnan"),
    "540000": ("西藏自治区", "Xizang (Tibet)"),
    "610000": ("陕西省", "Shaanxi"),
    "620000": ("甘肃省", "Gansu"),
    "630000": ("青海省", "Qinghai"),
    "640000": ("宁夏回族自治区", "Ningxia"),
    "650000": ("新疆维吾尔自治区", "Xinjiang"),
    "140100": ("太原市", "Taiyuan"),
    "140200": ("大同市", "Datong"),
    "140300": ("阳泉市", "Yangquan"),
    "140400": ("长治市", "Changzhi"),
    "140500": ("晋城市", "Jincheng"),
    "140600": ("朔州市", "Shuozhou"),
    "140700": ("晋中市", "Jinzhong"),
    "140800": ("运城市", "Yuncheng"),
    "140900": ("忻州市", "Xinzhou"),
    "141000": ("临汾市", "Linfen"),
    "141100": ("吕梁市", "Lüliang"),
    "620100": ("兰州市", "Lanzhou"),
    "620200": ("嘉峪关市", "Jiayuguan"),
    "620300": ("金昌市", "Jinchang"),
    "620400": ("白银市", "Baiyin"),
    "620500": ("天水市", "Tianshui"),
    "620600": ("武威市", "Wuwei"),
    "620700": ("张掖市", "Zhangye"),
    "620800": ("平凉市", "Pingliang"),
    "620900": ("酒泉市", "Jiuquan"),
    "621000": ("庆阳市", "Qingyang"),
    "621100": ("定西市", "Dingxi"),
    "621200": ("陇南市", "Longnan"),
    "622900": ("临夏回族自治州", "Linxia Hui Autonomous Prefecture"),
    "623000": ("甘南藏族自治州", "Gannan Tibetan Autonomous Prefecture"),
}
COUNTRY = {"全国": "China", "中国": "China"}
SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "省", "市")


def _stem(name):
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def fill(apps, schema_editor):
    Region = apps.get_model("indicators", "Region")
    by_name = {zh: en for zh, en in KNOWN.values()}
    by_stem = {_stem(zh): en for zh, en in KNOWN.values()}
    for region in Region.objects.filter(name_en=""):
        name = region.name.strip()
        english = (
            COUNTRY.get(name)
            or (KNOWN[region.code][1] if region.code in KNOWN else "")
            or by_name.get(name)
            or by_stem.get(_stem(name), "")
        )
        if english:
            region.name_en = english
            region.save(update_fields=["name_en"])


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_values_as_doubles"),
    ]

    operations = [
        migrations.AddField(
            model_name="region",
            name="name_en",
            field=models.CharField(blank=True, max_length=100, verbose_name="英文名称"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
