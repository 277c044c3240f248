"""Code lists: ethnic groups (GB 3304; 汉, 布依, 苗 first), political status (GB/T 4762),
education (GB/T 4658). Editable by staff afterwards."""

from django.db import migrations

ETHNIC = [
    ("01", "汉族"), ("02", "蒙古族"), ("03", "回族"), ("04", "藏族"), ("05", "维吾尔族"),
    ("06", "苗族"), ("07", "彝族"), ("08", "壮族"), ("09", "布依族"), ("10", "朝鲜族"),
    ("11", "满族"), ("12", "侗族"), ("13", "瑶族"), ("14", "白族"), ("15", "土家族"),
    ("16", "哈尼族"), ("17", "哈萨克族"), ("18", "傣族"), ("19", "黎族"), ("20", "傈僳族"),
    ("21", "佤族"), ("22", "畲族"), ("23", "高山族"), ("24", "拉祜族"), ("25", "水族"),
    ("26", "东乡族"), ("27", "纳西族"), ("28", "景颇族"), ("29", "柯尔克孜族"), ("30", "土族"),
    ("31", "达斡尔族"), ("32", "仫佬族"), ("33", "羌族"), ("34", "布朗族"), ("35", "撒拉族"),
    ("36", "毛南族"), ("37", "仡佬族"), ("38", "锡伯族"), ("39", "阿昌族"), ("40", "普米族"),
    ("41", "塔吉克族"), ("42", "怒族"), ("43", "乌孜别克族"), ("44", "俄罗斯族"), ("45", "鄂温克族"),
    ("46", "德昂族"), ("47", "保安族"), ("48", "裕固族"), ("49", "京族"), ("50", "塔塔尔族"),
    ("51", "独龙族"), ("52", "鄂伦春族"), ("53", "赫哲族"), ("54", "门巴族"), ("55", "珞巴族"),
    ("56", "基诺族"), ("97", "其他"),
]
FIRST = {"01": 1, "09": 2, "06": 3}  # 汉, 布依, 苗 first in pickers

POLITICAL = [
    ("01", "中共党员"), ("02", "中共预备党员"), ("03", "共青团员"), ("04", "民革党员"),
    ("05", "民盟盟员"), ("06", "民建会员"), ("07", "民进会员"), ("08", "农工党党员"),
    ("09", "致公党党员"), ("10", "九三学社社员"), ("11", "台盟盟员"), ("12", "无党派人士"),
    ("13", "群众"),
]

EDUCATION = [
    ("11", "研究生（博士）"), ("14", "研究生（硕士）"), ("21", "本科"), ("31", "专科"),
    ("41", "中专/职高/技校"), ("61", "高中"), ("71", "初中"), ("81", "小学"), ("90", "其他"),
]


def load(apps, schema_editor):
    EthnicGroup = apps.get_model("members", "EthnicGroup")
    PoliticalStatus = apps.get_model("members", "PoliticalStatus")
    EducationLevel = apps.get_model("members", "EducationLevel")
    for code, name in ETHNIC:
        order = FIRST.get(code, 10 + int(code))
        EthnicGroup.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})
    for i, (code, name) in enumerate(POLITICAL, start=1):
        PoliticalStatus.objects.update_or_create(code=code, defaults={"name": name, "sort_order": i})
    for i, (code, name) in enumerate(EDUCATION, start=1):
        EducationLevel.objects.update_or_create(code=code, defaults={"name": name, "sort_order": i})


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
