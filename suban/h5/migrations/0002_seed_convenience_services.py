"""Eight convenience services a district commonly handles for residents (代办). Each is linked to its matter
when the catalogue already holds it; the system admin edits the list in the admin."""

from django.db import migrations

SERVICES = [
    {
        "name": "高龄津贴申领",
        "matter": "民政 / 福利慈善 / 福利事业",
        "summary": "为年满80周岁的本区户籍老年人按月发放高龄津贴。社区代办员核对信息、协助填写申请，"
        "经街道审核、区民政局审批后，次月起发放至本人社会保障卡。",
        "eligibility": "具有本区户籍、年满80周岁的老年人；已领取的，迁出本区或去世后停发。",
        "materials": "申请人居民身份证、户口簿\n本人社会保障卡或银行卡\n近期一寸免冠照片1张\n"
        "委托他人代办的，提供代办人身份证",
    },
    {
        "name": "城乡居民医保参保登记",
        "matter": "劳动和社会保障 / 城镇居民社会保险 / 城镇居民医疗保险",
        "summary": "未参加职工基本医疗保险的城乡居民，在每年集中缴费期内登记参保并缴费，次年享受门诊、"
        "住院和大病保险待遇。社区协助核对参保信息、办理登记，新生儿出生后可随时参保。",
        "eligibility": "本区户籍或持本市居住证、未参加职工基本医疗保险的城乡居民，包括学生、儿童和新生儿。",
        "materials": "居民身份证或户口簿（新生儿提供出生医学证明）\n非本市户籍提供居住证\n"
        "低保、特困、重度残疾等资助参保对象提供相应证件",
    },
    {
        "name": "残疾人两项补贴",
        "matter": "民政 / 社会救助 / 其他",
        "summary": "困难残疾人生活补贴面向低保家庭中的残疾人；重度残疾人护理补贴面向残疾等级为一、二级，"
        "以及符合条件的三、四级智力、精神残疾人。社区受理后报街道审核、区民政局审批，按月发放。",
        "eligibility": "持有第二代残疾人证的本区户籍残疾人，分别符合低保家庭或重度残疾条件。",
        "materials": "第二代中华人民共和国残疾人证\n居民身份证、户口簿\n申请生活补贴的，提供低保证\n"
        "本人社会保障卡或银行卡\n残疾人两项补贴申请审批表（社区代为填写）",
    },
    {
        "name": "最低生活保障申请",
        "matter": "民政 / 社会救助 / 城镇低保",
        "summary": "共同生活的家庭成员人均收入低于本市低保标准、家庭财产符合规定的居民，可申请最低生活保障。"
        "社区协助填写申请书、签署经济状况核对授权书，街道入户调查并公示后，由区民政局审批。",
        "eligibility": "本区户籍居民家庭，人均月收入低于本市城乡低保标准，且家庭财产状况符合规定。",
        "materials": "家庭成员居民身份证、户口簿\n最低生活保障申请书\n家庭经济状况核对授权书（家庭成员签字）\n"
        "工资、养老金等收入证明\n残疾证、病历等证明材料（如有）\n本人银行卡",
    },
    {
        "name": "临时救助",
        "matter": "民政 / 社会救助 / 其他",
        "summary": "因火灾、交通事故、突发重大疾病等意外事件，或生活必需支出突然增加，基本生活暂时陷入困难的"
        "家庭或个人，可以申请临时救助。情况紧急的，先行救助、后补手续。",
        "eligibility": "本区户籍或持本区居住证的家庭和个人；遭遇急难的外地人员可向所在街道申请。",
        "materials": "申请人居民身份证、户口簿\n临时救助申请书\n困难情况证明（医疗费用票据、事故或火灾证明等）\n"
        "本人银行卡",
    },
    {
        "name": "居住证办理",
        "matter": "政法 / 户籍证件 / 流动人口管理",
        "summary": "离开户籍地、在本市居住半年以上，有合法稳定就业、合法稳定住所或连续就读条件之一的人员，"
        "可以申领居住证，凭证享受子女入学、社会保险、公积金和证照办理等基本公共服务。"
        "社区代为采集信息并送派出所办理。",
        "eligibility": "非本市户籍、在本区居住满半年，并符合就业、住所或就读条件之一的人员。",
        "materials": "居民身份证\n近期白底免冠照片（也可现场采集）\n住所证明（房产证或租赁合同）\n"
        "就业或就读证明（劳动合同、营业执照或学校证明之一）",
    },
    {
        "name": "灵活就业社保参保",
        "matter": "劳动和社会保障 / 城镇职工社会保险 / 职工养老保险",
        "summary": "无雇工的个体工商户、未在用人单位参保的非全日制从业人员和其他灵活就业人员，可以个人身份"
        "参加职工基本养老保险和职工基本医疗保险，按月或按年缴费。社区协助办理参保登记和扣款协议。",
        "eligibility": "法定劳动年龄内、本市户籍或持本市居住证的灵活就业人员。",
        "materials": "居民身份证\n社会保障卡\n本人银行卡（签订委托扣款协议用）\n非本市户籍提供居住证",
    },
    {
        "name": "独生子女父母奖励扶助",
        "matter": "卫生计生 / 人口计生 / 独生子女父母奖励政策",
        "summary": "符合条件的独生子女父母和农村部分计划生育家庭，夫妻年满60周岁后按年领取奖励扶助金；"
        "企业退休的独生子女父母还可申请一次性养老补助。社区负责资格初审和公示。",
        "eligibility": "只生育或合法收养一个子女、现无子女或只有一个子女，本人年满60周岁的本区户籍居民。",
        "materials": "居民身份证、户口簿\n独生子女父母光荣证\n结婚证或离婚证\n子女户口簿或死亡证明（如适用）\n"
        "本人银行卡",
    },
]


def seed(apps, schema_editor):
    service_model = apps.get_model("h5", "ConvenienceService")
    matter_model = apps.get_model("catalogue", "Matter")
    for order, item in enumerate(SERVICES, start=1):
        matter = matter_model.objects.filter(full_name=item["matter"]).first()
        service_model.objects.get_or_create(
            name=item["name"],
            defaults={
                "summary": item["summary"],
                "eligibility": item["eligibility"],
                "materials": item["materials"],
                "matter": matter,
                "sort_order": order * 10,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("h5", "ConvenienceService").objects.filter(name__in=[s["name"] for s in SERVICES]).delete()


class Migration(migrations.Migration):
    dependencies = [("h5", "0001_initial"), ("catalogue", "0002_matter_full_name_label")]

    operations = [migrations.RunPython(seed, unseed)]
