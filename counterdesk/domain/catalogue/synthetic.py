"""A large, realistic-looking catalogue and query mix for benchmarks and tests.

``synthetic_catalogue(n)`` builds a valid ``counterdesk-catalogue/1`` document (a plain
dict, ready for ``json.dumps``) with ``n`` items whose names are near-duplicates the way a
provincial item register is: every county or district publishes the same licences with the
same actions, so the names differ by an area, a subject, an action and sometimes a mode
("南湖区食品经营许可证延续", "海宁市食品经营许可证延续（告知承诺制）"). That is what makes
search hard, and what the bench measures.

``synthetic_queries(catalogue, n, seed)`` draws ``n`` distinct queries over such a
catalogue, mixed the way officers type: Chinese fragments, pinyin initials, full pinyin,
codes, English words, and each of these with a typo.

Both are pure and deterministic for a given seed (standard library only, plus pypinyin for
the pinyin queries, imported when first needed).
"""

from __future__ import annotations

import random
from typing import Any

FORMAT_ID = "counterdesk-catalogue/1"

# (code, Chinese name, English name) of the areas whose centres publish items.
AREAS: tuple[tuple[str, str, str], ...] = (
    ("NH", "南湖区", "Nanhu"),
    ("XZ", "秀洲区", "Xiuzhou"),
    ("JS", "嘉善县", "Jiashan"),
    ("PH", "平湖市", "Pinghu"),
    ("HY", "海盐县", "Haiyan"),
    ("HN", "海宁市", "Haining"),
    ("TX", "桐乡市", "Tongxiang"),
    ("SC", "上城区", "Shangcheng"),
    ("GS", "拱墅区", "Gongshu"),
    ("XH", "西湖区", "Xihu"),
    ("BJ", "滨江区", "Binjiang"),
    ("XS", "萧山区", "Xiaoshan"),
    ("YH", "余杭区", "Yuhang"),
    ("LP", "临平区", "Linping"),
    ("QT", "钱塘区", "Qiantang"),
    ("FY", "富阳区", "Fuyang"),
    ("LA", "临安区", "Lin'an"),
    ("TL", "桐庐县", "Tonglu"),
    ("CA", "淳安县", "Chun'an"),
    ("JD", "建德市", "Jiande"),
    ("JB", "江北区", "Jiangbei"),
    ("YZ", "鄞州区", "Yinzhou"),
    ("LC", "鹿城区", "Lucheng"),
    ("KQ", "柯桥区", "Keqiao"),
    ("WC", "婺城区", "Wucheng"),
    ("YW", "义乌市", "Yiwu"),
    ("DY", "东阳市", "Dongyang"),
    ("PJ", "浦江县", "Pujiang"),
    ("TT", "天台县", "Tiantai"),
    ("AJ", "安吉县", "Anji"),
)

DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("SCJG", "市场监督管理局", "Market Supervision Administration"),
    ("WGLJ", "文化广电旅游局", "Culture, Radio, Television and Tourism Bureau"),
    ("XFJY", "消防救援大队", "Fire and Rescue Brigade"),
    ("WJW", "卫生健康局", "Health Bureau"),
    ("JTYS", "交通运输局", "Transport Bureau"),
    ("STHJ", "生态环境分局", "Ecology and Environment Branch"),
    ("ZJJ", "住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
    ("YCJ", "烟草专卖局", "Tobacco Monopoly Bureau"),
)

# id: (name, English name, kind, shared)
MATERIALS: dict[str, tuple[str, str, str, bool]] = {
    "id_card": ("居民身份证", "Resident ID card", "certificate", False),
    "business_licence": ("营业执照", "Business licence", "certificate", True),
    "lease_contract": ("房屋租赁合同", "Lease contract", "other", False),
    "property_certificate": ("不动产权证书", "Real estate title certificate", "certificate", True),
    "power_of_attorney": ("授权委托书", "Power of attorney", "form", False),
    "agent_id_card": ("代理人身份证件", "Agent's ID card", "certificate", False),
    "application_form": ("申请表", "Application form", "form", False),
    "change_form": ("变更申请表", "Change application form", "form", False),
    "cancellation_form": ("注销申请表", "Cancellation application form", "form", False),
    "old_licence": ("原许可证正副本", "Original licence (both copies)", "certificate", False),
    "premises_layout": ("经营场所平面布局图", "Floor plan of the premises", "other", False),
    "management_rules": ("管理制度文本", "Management rules", "other", False),
    "health_certificate": ("从业人员健康证明", "Staff health certificates", "certificate", True),
    "commitment_letter": ("告知承诺书", "Notification and commitment letter", "form", False),
    "safety_report": ("安全评价报告", "Safety assessment report", "other", False),
    "staff_qualification": (
        "专业技术人员资格证明",
        "Staff qualification certificates",
        "certificate",
        True,
    ),
    "equipment_list": ("主要设备清单", "List of main equipment", "other", False),
    "premises_photos": ("经营场所照片", "Photos of the premises", "other", False),
}

# Extra materials by letter: L premises_layout, R management_rules, H health_certificate,
# E equipment_list, Q staff_qualification, S safety_report, P premises_photos.
_EXTRA = {
    "L": "premises_layout",
    "R": "management_rules",
    "H": "health_certificate",
    "E": "equipment_list",
    "Q": "staff_qualification",
    "S": "safety_report",
    "P": "premises_photos",
}
# department|subject|English subject|legal days|promised days|extra materials
_SUBJECT_TABLE = """
SCJG|食品经营许可证|food business licence|10|3|LRH
SCJG|食品生产许可证|food production licence|20|10|LER
SCJG|药品经营许可证|drug business licence|20|10|LQR
SCJG|第二类医疗器械经营备案凭证|class II medical device filing|5|1|LR
SCJG|特种设备使用登记证|special equipment use certificate|15|5|ES
SCJG|个体工商户营业执照|sole proprietorship business licence|3|0|P
SCJG|公司营业执照|company business licence|3|1|R
SCJG|计量器具型式批准证书|measuring instrument pattern approval|20|10|E
WGLJ|娱乐经营许可证|entertainment business permit|20|5|LR
WGLJ|网络文化经营许可证|internet culture business permit|20|10|LE
WGLJ|营业性演出许可证|commercial performance permit|20|5|Q
WGLJ|旅行社业务经营许可证|travel agency business permit|20|10|R
WGLJ|出版物零售经营许可证|publication retail permit|20|5|P
WGLJ|高危险性体育项目经营许可证|high-risk sports business permit|30|10|QS
XFJY|公众聚集场所消防安全检查合格证|fire safety inspection certificate|10|3|LR
WJW|公共场所卫生许可证|public venue hygiene licence|20|5|LH
WJW|医疗机构执业许可证|medical institution practice licence|45|20|LQE
WJW|放射诊疗许可证|radiological diagnosis licence|20|10|ESQ
WJW|饮用水供水单位卫生许可证|drinking water supply hygiene licence|20|10|HE
WJW|母婴保健技术服务执业许可证|maternal and infant health service licence|30|15|QL
JTYS|道路运输经营许可证|road transport business permit|20|5|RQ
JTYS|机动车维修经营备案|vehicle repair business filing|5|1|EQ
JTYS|驾驶员培训经营备案|driving school filing|5|1|QL
JTYS|网络预约出租汽车运输证|ride-hailing transport certificate|10|5|S
JTYS|港口经营许可证|port business permit|30|15|SE
STHJ|排污许可证|pollutant discharge permit|20|10|ER
STHJ|危险废物经营许可证|hazardous waste business licence|20|15|ESQ
STHJ|辐射安全许可证|radiation safety licence|20|10|SQ
ZJJ|建筑工程施工许可证|construction permit|7|3|S
ZJJ|城镇污水排入排水管网许可证|sewer discharge permit|20|5|L
ZJJ|燃气经营许可证|gas business licence|20|10|SQ
ZJJ|商品房预售许可证|pre-sale permit for commercial housing|10|5|S
ZJJ|建筑业企业资质证书|construction enterprise qualification|20|10|Q
YCJ|烟草专卖零售许可证|tobacco retail licence|20|5|P
"""


def _subjects(table: str) -> tuple[tuple[str, str, str, int, int, tuple[str, ...]], ...]:
    rows = []
    for row in table.strip().splitlines():
        dept, name, name_en, legal, promised, extras = row.split("|")
        materials = tuple(_EXTRA[letter] for letter in extras)
        rows.append((dept, name, name_en, int(legal), int(promised), materials))
    return tuple(rows)


SUBJECTS = _subjects(_SUBJECT_TABLE)

# (Chinese action, English action): what the applicant asks for
ACTIONS: tuple[tuple[str, str], ...] = (
    ("核发", "issue"),
    ("变更", "change"),
    ("延续", "renewal"),
    ("注销", "cancellation"),
    ("补证", "replacement"),
)

MODES: tuple[tuple[str, str], ...] = (
    ("", ""),
    ("（告知承诺制）", " (by commitment)"),
    ("（简易程序）", " (simplified)"),
    ("（跨区域通办）", " (cross-region)"),
)

# "One thing" bundles: (name, English name, the licences it brings together)
BUNDLE_SUBJECTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "开办餐馆",
        "Open a restaurant",
        ("个体工商户营业执照", "食品经营许可证", "城镇污水排入排水管网许可证"),
    ),
    (
        "开办KTV",
        "Open a karaoke bar",
        ("公司营业执照", "娱乐经营许可证", "公众聚集场所消防安全检查合格证"),
    ),
    (
        "开办便利店",
        "Open a convenience store",
        ("个体工商户营业执照", "食品经营许可证", "烟草专卖零售许可证"),
    ),
    (
        "开办药店",
        "Open a pharmacy",
        ("公司营业执照", "药品经营许可证", "第二类医疗器械经营备案凭证"),
    ),
    (
        "开办宾馆",
        "Open a hotel",
        ("公司营业执照", "公共场所卫生许可证", "公众聚集场所消防安全检查合格证"),
    ),
    ("开办美容美发店", "Open a beauty salon", ("个体工商户营业执照", "公共场所卫生许可证")),
    (
        "开办网吧",
        "Open an internet café",
        ("公司营业执照", "网络文化经营许可证", "公众聚集场所消防安全检查合格证"),
    ),
    ("开办诊所", "Open a clinic", ("公司营业执照", "医疗机构执业许可证", "放射诊疗许可证")),
    (
        "开办游泳馆",
        "Open a swimming pool",
        ("公司营业执照", "高危险性体育项目经营许可证", "公共场所卫生许可证"),
    ),
    (
        "开办汽车维修店",
        "Open a car repair shop",
        ("个体工商户营业执照", "机动车维修经营备案", "排污许可证"),
    ),
    ("开办书店", "Open a bookshop", ("个体工商户营业执照", "出版物零售经营许可证")),
    ("开办旅行社", "Open a travel agency", ("公司营业执照", "旅行社业务经营许可证")),
)

PREMISES_CHOICES = ["owned", "rented"]


def _field(key: str, label: str, label_en: str, kind: str, **extra: Any) -> dict[str, Any]:
    field = {"key": key, "label": label, "label_en": label_en, "type": kind, "required": True}
    field.update(extra)
    return field


def _line(material: str, need: str, original: int, copies: int, **when: Any) -> dict[str, Any]:
    line: dict[str, Any] = {"material": material}
    if original:
        line["original"] = original
    if copies:
        line["copies"] = copies
    line["need"] = need
    if when:
        line["when"] = when
    return line


def _materials(
    rng: random.Random, action: str, mode: str, extras: tuple[str, ...]
) -> list[dict[str, Any]]:
    form = {"变更": "change_form", "注销": "cancellation_form"}.get(action, "application_form")
    lines = [
        _line(form, "required", 1, 0),
        _line("id_card", "required", 1, 1),
        _line("business_licence", "required", 0, 1),
    ]
    if action in ("核发", "变更"):
        lines.append(_line("lease_contract", "required", 0, 1, premises="rented"))
        lines.append(_line("property_certificate", "required", 0, 1, premises="owned"))
        for material in extras:
            need = "deferrable" if rng.random() < 0.35 else "required"
            lines.append(_line(material, need, 0, 1))
    elif action in ("延续", "注销"):
        lines.append(_line("old_licence", "required", 1, 0))
        if extras and action == "延续":
            lines.append(_line(extras[0], "deferrable", 0, 1))
    if mode.startswith("（告知承诺"):
        lines.append(_line("commitment_letter", "required", 1, 0))
    lines.append(_line("power_of_attorney", "required", 1, 0, agent=True))
    lines.append(_line("agent_id_card", "required", 1, 1, agent=True))
    return lines


def _name_space(count: int) -> list[tuple[int, int, int, int, int]]:
    """(area, subject, action, mode, round) index tuples: every combination once per round,
    as many rounds as ``count`` needs (a round > 0 adds a batch number to the name)."""
    per_round = len(AREAS) * len(SUBJECTS) * len(ACTIONS) * len(MODES)
    rounds = max(1, -(-count // per_round))
    return [
        (a, s, c, m, r)
        for r in range(rounds)
        for a in range(len(AREAS))
        for s in range(len(SUBJECTS))
        for c in range(len(ACTIONS))
        for m in range(len(MODES))
    ]


def synthetic_catalogue(n_items: int = 10_000, seed: int = 0) -> dict[str, Any]:
    """A valid catalogue document with ``n_items`` items (and about one bundle per 100
    items), the same for the same arguments."""
    if n_items < 0:
        raise ValueError("n_items must not be negative")
    rng = random.Random(seed)
    space = _name_space(n_items)
    rng.shuffle(space)
    chosen = sorted(space[:n_items])  # register order: by area, then subject
    items: list[dict[str, Any]] = []
    new_licences: dict[tuple[int, str], list[str]] = {}  # (area, subject) -> item codes
    for number, (a, s, c, m, r) in enumerate(chosen, start=1):
        area_code, area, area_en = AREAS[a]
        dept, subject, subject_en, legal, promised, extras = SUBJECTS[s]
        action, action_en = ACTIONS[c]
        mode, mode_en = MODES[m]
        batch = f"（第{r + 1}批）" if r else ""
        batch_en = f" (batch {r + 1})" if r else ""
        code = f"{dept}-{area_code}-{number:05d}"
        if mode.startswith("（告知承诺"):
            promised = 0
        elif mode.startswith("（简易"):
            promised = min(promised, 1)
        fields: list[dict[str, Any]] = [
            _field("uscc", "统一社会信用代码", "Unified social credit code", "uscc"),
            _field("contact_phone", "联系电话", "Contact phone", "phone"),
        ]
        if action in ("核发", "变更"):
            fields.append(
                _field("premises", "经营场所来源", "Premises", "choice", choices=PREMISES_CHOICES)
            )
        if action == "延续":
            fields.append(_field("expiry_date", "原证有效期至", "Current expiry", "date"))
        items.append(
            {
                "code": code,
                "name": f"{area}{subject}{action}{mode}{batch}",
                "name_en": f"{area_en} {subject_en} {action_en}{mode_en}{batch_en}",
                "department": dept,
                "applicant_types": ["natural", "legal"] if rng.random() < 0.6 else ["legal"],
                "legal_days": legal,
                "promised_days": promised,
                "fee": 0 if rng.random() < 0.9 else rng.choice([10, 20, 12.5, 80]),
                "legal_basis": "《中华人民共和国行政许可法》第三十二条",
                "fields": fields,
                "materials": _materials(rng, action, mode, extras),
                "result": {
                    "name": f"{subject}（{action}）",
                    "name_en": f"{subject_en} ({action_en})",
                    "delivery": ["pickup", "mail"] if rng.random() < 0.8 else ["pickup"],
                },
            }
        )
        if action == "核发":
            new_licences.setdefault((a, subject), []).append(code)
    bundles = _bundles(rng, items, new_licences, n_items // 100)
    return {
        "format": FORMAT_ID,
        "version": f"synthetic-{n_items}-{seed}",
        "departments": [{"code": c, "name": n, "name_en": e} for c, n, e in DEPARTMENTS],
        "materials": {
            key: {"name": n, "name_en": e, "kind": k, **({"shared": True} if s else {})}
            for key, (n, e, k, s) in MATERIALS.items()
        },
        "items": items,
        "bundles": bundles,
    }


def _bundles(
    rng: random.Random,
    items: list[dict[str, Any]],
    new_licences: dict[tuple[int, str], list[str]],
    count: int,
) -> list[dict[str, Any]]:
    """About ``count`` bundles, each opening a kind of business in one area: one new-licence
    item for each licence that business needs (at least two), where the catalogue has them."""
    types = {item["code"]: set(item["applicant_types"]) for item in items}
    bundles: list[dict[str, Any]] = []
    names: set[str] = set()
    areas = list(range(len(AREAS)))
    for number in range(1, count + 1):
        subject, subject_en, licences = BUNDLE_SUBJECTS[number % len(BUNDLE_SUBJECTS)]
        rng.shuffle(areas)
        for a in areas:
            codes = [
                rng.choice(new_licences[(a, licence)])
                for licence in licences
                if (a, licence) in new_licences
            ]
            # At least two items, and some applicant who may apply for all of them.
            if len(codes) >= 2 and set.intersection(*(types[c] for c in codes)):
                break
        else:
            continue
        area_code, area, area_en = AREAS[a]
        name, name_en = f"{area}{subject}一件事", f"{area_en}: {subject_en}"
        if name in names:  # the same bundle again, as another scheme or pilot
            name, name_en = f"{name}（方案{number}）", f"{name_en} (scheme {number})"
        names.add(name)
        bundles.append(
            {
                "code": f"B-{area_code}-{number:04d}",
                "name": name,
                "name_en": name_en,
                "items": codes,
            }
        )
    return bundles


# ----- queries -----------------------------------------------------------------------

QUERY_KINDS = ("chinese", "initials", "pinyin", "code", "english", "typo")

# Characters officers commonly mistype for one another (same pinyin or similar shape).
_CONFUSED = {
    "营": "荣",
    "证": "正",
    "登": "灯",
    "记": "纪",
    "许": "午",
    "可": "科",
    "经": "京",
    "办": "半",
    "销": "消",
    "注": "住",
    "发": "法",
    "变": "便",
    "更": "耕",
    "延": "严",
    "续": "序",
    "生": "声",
    "卫": "为",
    "运": "云",
    "输": "书",
    "品": "晶",
    "场": "厂",
    "所": "锁",
    "食": "实",
    "药": "要",
    "备": "被",
    "案": "按",
}


def synthetic_queries(catalogue: dict[str, Any], n: int, seed: int) -> list[str]:
    """``n`` distinct queries over ``catalogue`` (a catalogue document), mixing the kinds
    officers type; the same for the same arguments. ValueError when the catalogue cannot
    yield ``n`` distinct queries."""
    targets = [*catalogue.get("items", []), *catalogue.get("bundles", [])]
    if n <= 0:
        return []
    if not targets:
        raise ValueError("the catalogue has no items or bundles to query")
    rng = random.Random(seed)
    pinyin: dict[str, tuple[str, str]] = {}  # name -> (full pinyin, initials), as needed
    queries: list[str] = []
    seen: set[str] = set()
    attempts = 0
    while len(queries) < n:
        attempts += 1
        if attempts > 50 * n + 1000:
            raise ValueError(f"could only make {len(queries)} distinct queries, not {n}")
        kind = QUERY_KINDS[len(queries) % len(QUERY_KINDS)]
        query = _query(rng, kind, rng.choice(targets), pinyin)
        if query and query not in seen:
            seen.add(query)
            queries.append(query)
    return queries


def _query(
    rng: random.Random, kind: str, target: dict[str, Any], pinyin: dict[str, tuple[str, str]]
) -> str:
    name: str = target["name"]
    if kind == "chinese":
        return _fragment(rng, name, 2, 8)
    if kind in ("initials", "pinyin"):
        if name not in pinyin:
            pinyin[name] = _pinyin(name)
        full, initials = pinyin[name]
        if kind == "initials":
            return _fragment(rng, initials, 2, 8)
        return _fragment(rng, full, 4, 18)
    if kind == "code":
        code: str = target["code"]
        return rng.choice((code, code.lower(), code[: max(2, len(code) - rng.randint(0, 3))]))
    if kind == "english":
        words = target.get("name_en", "").replace("(", " ").replace(")", " ").split()
        if not words:
            return _fragment(rng, name, 2, 6)
        start = rng.randrange(len(words))
        return " ".join(words[start : start + rng.randint(1, 3)]).lower()
    # typo: one of the other kinds with one character wrong
    base_kind = rng.choice(("chinese", "pinyin", "english"))
    base = _query(rng, base_kind, target, pinyin)
    return _typo(rng, base)


def _fragment(rng: random.Random, text: str, shortest: int, longest: int) -> str:
    text = text.strip()
    if len(text) <= shortest:
        return text
    length = rng.randint(shortest, min(longest, len(text)))
    start = rng.randint(0, len(text) - length)
    return text[start : start + length]


def _each_character(chunk: str) -> Any:
    """Non-Chinese text keeps one syllable per character, as search does ("KTV" -> k, t, v)."""
    return list(chunk)


def _pinyin(name: str) -> tuple[str, str]:
    """Full pinyin and initials of ``name``, lower-case ASCII without separators."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(name, style=Style.NORMAL, errors=_each_character)
    words = ["".join(ch for ch in s.lower() if ch.isascii() and ch.isalnum()) for s in syllables]
    words = [w for w in words if w]
    return "".join(words), "".join(w[0] for w in words)


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    positions = [i for i, ch in enumerate(text) if ch in _CONFUSED]
    if positions and rng.random() < 0.7:
        i = rng.choice(positions)
        return text[:i] + _CONFUSED[text[i]] + text[i + 1 :]
    i = rng.randrange(1, len(text) - 1)
    operation = rng.choice(("drop", "swap", "double"))
    if operation == "drop":
        return text[:i] + text[i + 1 :]
    if operation == "swap":
        return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]
