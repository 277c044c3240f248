"""Towns and streets of 安龙县, art categories and the nine associations (editable data)."""

from django.db import migrations

STREETS = ["招堤街道", "栖凤街道", "钱相街道", "五福街道", "春潭街道"]
TOWNS = ["龙广镇", "德卧镇", "万峰湖镇", "木咱镇", "洒雨镇", "普坪镇", "龙山镇", "新桥镇", "海子镇", "笃山镇"]

ART_CATEGORIES = [
    ("literature", "文学"),
    ("poetry", "诗词楹联"),
    ("calligraphy", "书法"),
    ("painting", "美术"),
    ("photography", "摄影"),
    ("music", "音乐"),
    ("dance", "舞蹈"),
    ("film", "影视"),
    ("folk", "民族民间艺术"),
    ("drama", "戏剧"),
    ("quyi", "曲艺"),
    ("network", "网络文艺"),
]

ASSOCIATIONS = [
    ("ZJ", "安龙县作家协会", "作家协会", "literature"),
    ("SC", "安龙县诗词楹联协会", "诗词楹联协会", "poetry"),
    ("SF", "安龙县书法家协会", "书法家协会", "calligraphy"),
    ("MS", "安龙县美术家协会", "美术家协会", "painting"),
    ("SY", "安龙县摄影家协会", "摄影家协会", "photography"),
    ("YY", "安龙县音乐家协会", "音乐家协会", "music"),
    ("WD", "安龙县舞蹈家协会", "舞蹈家协会", "dance"),
    ("YS", "安龙县影视艺术家协会", "影视艺术家协会", "film"),
    ("MJ", "安龙县民族民间艺术家协会", "民族民间艺术家协会", "folk"),
]

CHECKLIST = [
    "入会申请表（在线填写）",
    "两名本会会员作为介绍人，或团体会员推荐",
    "近期免冠照片",
    "身份证号码（核验后加密保存）",
    "代表作品（文件、图片或音视频链接）",
    "深入生活、采风经历（如有）",
]


def load(apps, schema_editor):
    Town = apps.get_model("associations", "Town")
    ArtCategory = apps.get_model("associations", "ArtCategory")
    Association = apps.get_model("associations", "Association")
    order = 0
    for i, name in enumerate(STREETS, start=1):
        order += 1
        Town.objects.update_or_create(code=f"S{i:02d}", defaults={"name": name, "kind": "street", "sort_order": order})
    for i, name in enumerate(TOWNS, start=1):
        order += 1
        Town.objects.update_or_create(code=f"T{i:02d}", defaults={"name": name, "kind": "town", "sort_order": order})
    cats = {}
    for i, (code, name) in enumerate(ART_CATEGORIES, start=1):
        cats[code], _ = ArtCategory.objects.update_or_create(code=code, defaults={"name": name, "sort_order": i})
    for i, (code, name, short, cat) in enumerate(ASSOCIATIONS, start=1):
        Association.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "art_category": cats[cat],
                "sort_order": i,
                "status": "active",
                "kind": "association",
                "introduction": f"{name}是安龙县文学艺术界联合会的团体会员，团结服务全县{cats[cat].name}工作者。",
                "admission_standard": (
                    "热爱祖国，遵守宪法和法律，拥护本会章程；在本县从事"
                    f"{cats[cat].name}创作、表演、研究或组织工作，取得一定成绩；"
                    "由两名本会会员介绍，经协会审核、县文联批准后成为会员。"
                ),
                "admission_checklist": CHECKLIST,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("associations", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
