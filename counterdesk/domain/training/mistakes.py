"""The mistakes a trainee can make at the counter, each with its points and the rule that
applies, in Chinese and English, for the debrief screen.

One table, so that the points are tuned in one place and every code the scorer can give
has its rule written down (a test checks that).
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_POINTS = 100
PASS_MARK = 80
EXAM_SECONDS = 600  # exam scenarios are done within ten minutes

# Points a category can lose at most, so one misunderstanding is not punished many times.
CATEGORY_CAPS = {
    "target": 30,
    "facts": 10,
    "received": 20,
    "outcome": 40,
    "lists": 15,
    "papers": 10,
    "time": 5,
}

ART32 = "《行政许可法》第三十二条"
ART32_EN = "Administrative Licensing Law art. 32"


@dataclass(frozen=True)
class Rule:
    category: str
    points: int
    serious: bool
    zh: str
    en: str


_REFUSE_AT_ONCE = (
    "不需要取得行政许可的，应当即时告知申请人；不属于本机关职权范围的，应当即时作出不予受理的决定，"
    f"并告知申请人向有关行政机关申请（{ART32}第一款第一、二项）；依法不能办理的（如未达法定婚龄），"
    "也应当场说明理由，不予受理。",
    "If no licence is needed, tell the applicant at once; if the matter is not this "
    "authority's, refuse at once and name the authority to apply to "
    f"({ART32_EN}(1)(1)-(2)); what the law forbids (a marriage under the legal age) is "
    "refused on the spot with the reason.",
)

RULES: dict[str, Rule] = {
    "wrong_target": Rule(
        "target",
        30,
        False,
        "按申请人的真实诉求选择事项：不同事项的材料清单和审批部门不同。",
        "Choose the item the applicant really needs: items differ in papers and deciding department.",
    ),
    "part_of_bundle": Rule(
        "target",
        15,
        False,
        "申请人要办的是“一件事”：应按一件事一次受理，共用的材料只收一次。",
        "The applicant needs a whole 'one thing' bundle: accept it in one intake, shared papers once.",
    ),
    "needless_bundle": Rule(
        "target",
        10,
        False,
        "申请人只需办理其中一个事项，不应按一件事要求其他事项的材料。",
        "The applicant needs only one item of that bundle: don't ask for the other items' papers.",
    ),
    "wrong_fact": Rule(
        "facts",
        5,
        False,
        "申请信息须与申请人的证件和实际情况一致：材料清单的条件取决于这些信息。",
        "Facts entered must match the applicant's papers and situation: the checklist's "
        "conditions depend on them.",
    ),
    "copied_slip": Rule(
        "facts",
        5,
        False,
        f"申请材料存在可以当场更正的错误的，应当允许申请人当场更正（{ART32}第一款第三项）：按证件核对后录入。",
        "A slip on the form is corrected on the spot "
        f"({ART32_EN}(1)(3)): check it against the papers and enter the right value.",
    ),
    "counted_flawed_paper": Rule(
        "received",
        10,
        True,
        "过期、非本人、字迹不清、未签字或不是所需文件的材料不能算作已收，应请申请人补正。",
        "An expired, someone else's, illegible, unsigned or wrong document does not count as "
        "received: it has to be supplied properly.",
    ),
    "counted_absent_paper": Rule(
        "received",
        10,
        True,
        "只登记申请人实际递交的材料。",
        "Record only the papers the applicant actually handed over.",
    ),
    "uncounted_paper": Rule(
        "received",
        3,
        False,
        "申请人递交的材料应如实登记，否则清单会显示缺件。",
        "Record every paper the applicant hands over, or the checklist shows it as missing.",
    ),
    "copy_not_made": Rule(
        "received",
        3,
        False,
        "申请人带了原件而缺复印件的，窗口当场复印或扫描，并登记为“窗口复印”。",
        "When the applicant has the original but no copy, the counter makes or scans the copy "
        "and records it as made at the counter.",
    ),
    "accepted_incomplete": Rule(
        "outcome",
        40,
        True,
        f"必要材料不齐全的不得受理；应当场一次性告知申请人需要补正的全部内容（{ART32}第一款第四项）。",
        "An application missing required papers must not be accepted: tell the applicant at "
        f"once, in one go, everything to supply ({ART32_EN}(1)(4)).",
    ),
    "accepted_without_commitment": Rule(
        "outcome",
        25,
        True,
        "仅缺容缺后补材料的，须申请人签署容缺受理承诺书后方可容缺受理，不能直接受理。",
        "When only deferrable papers are missing, accept with deferral after the applicant "
        "signs the commitment: never accept outright.",
    ),
    "deferred_required_paper": Rule(
        "outcome",
        30,
        True,
        "容缺受理只适用于主要材料齐全、仅缺容缺后补材料的情形；缺少必要材料的应一次性告知。",
        "Deferral applies only when every main paper is present and only deferrable ones are "
        "missing; missing required papers call for the one-time notice.",
    ),
    "deferral_not_agreed": Rule(
        "outcome",
        15,
        False,
        "容缺受理须申请人自愿签署承诺书；申请人不愿承诺的，应一次性告知。",
        "Deferral needs the applicant's own signed commitment; if they decline, issue the "
        "one-time notice.",
    ),
    "needless_notice": Rule(
        "outcome",
        20,
        False,
        "材料齐全的应当受理，不得让申请人再跑一次（最多跑一次）。",
        "A complete application must be accepted: don't send the applicant away again "
        "(One Visit At Most).",
    ),
    "needless_deferral": Rule(
        "outcome",
        10,
        False,
        "材料齐全的直接受理，无需容缺承诺。",
        "When everything is present, accept outright: no deferral commitment is needed.",
    ),
    "deferral_not_offered": Rule(
        "outcome",
        10,
        False,
        "仅缺容缺后补材料且申请人愿意承诺的，应容缺受理，而不是让其补齐后再来。",
        "When only deferrable papers are missing and the applicant will commit, accept with "
        "deferral instead of sending them away.",
    ),
    "wrongful_refusal": Rule(
        "outcome",
        40,
        True,
        "属于本机关职权范围、依法需要许可的申请不得不予受理；材料不齐的应一次性告知补正。",
        "An application that needs a licence and is this authority's matter must not be "
        "refused; incomplete papers call for the one-time notice.",
    ),
    "accepted_should_refuse": Rule("outcome", 40, True, *_REFUSE_AT_ONCE),
    "notice_should_refuse": Rule("outcome", 25, False, *_REFUSE_AT_ONCE),
    "received_should_refuse": Rule("outcome", 20, False, *_REFUSE_AT_ONCE),
    "decision_not_made": Rule(
        "outcome",
        10,
        False,
        "能当场判断的，应当场决定受理、容缺受理或一次性告知；只收件的须在五日内告知，逾期即视为受理。",
        "When the papers can be judged on the spot, decide on the spot; receiving only starts "
        "a five-day limit, after which the application counts as accepted.",
    ),
    "notice_missing_material": Rule(
        "lists",
        5,
        False,
        "一次性告知须列明需要补正的全部材料，不得让申请人多次补正。",
        "The one-time notice lists everything to supply, so the applicant never comes back twice.",
    ),
    "notice_extra_material": Rule(
        "lists",
        3,
        False,
        "一次性告知只列实际缺少的材料，不得要求提交已收或无需提交的材料。",
        "The notice lists only what is really missing: not papers already received or not needed.",
    ),
    "notice_wrong_count": Rule(
        "lists",
        2,
        False,
        "补正清单须写明所缺原件和复印件的份数。",
        "The notice states how many originals and copies are still needed.",
    ),
    "deferred_missing_material": Rule(
        "lists",
        5,
        False,
        "容缺受理承诺书须写明全部后补材料及期限。",
        "The deferral commitment names every paper to be brought later, and by when.",
    ),
    "deferred_extra_material": Rule(
        "lists",
        3,
        False,
        "承诺书只列实际缺少的容缺材料。",
        "The commitment lists only the deferrable papers really missing.",
    ),
    "deferred_wrong_count": Rule(
        "lists",
        2,
        False,
        "承诺书须写明后补原件和复印件的份数。",
        "The commitment states how many originals and copies are to be brought.",
    ),
    "wrong_refusal_ground": Rule(
        "lists",
        10,
        False,
        "不予受理须写明正确的理由：无需许可、不属本机关职权，或其他法定理由。",
        "A refusal gives the right ground: no licence needed, not this authority's matter, or "
        "another legal ground.",
    ),
    "authority_not_named": Rule(
        "lists",
        5,
        False,
        "不属于本机关职权范围的，应告知申请人向哪个行政机关申请，并在通知书上写明。",
        "When the matter is not this authority's, name the authority to apply to, on the notice.",
    ),
    "paper_not_printed": Rule(
        "papers",
        5,
        False,
        "受理、容缺受理、补正告知和不予受理都须出具加盖印章、注明日期的书面凭证。",
        "Every decision is confirmed in writing, sealed and dated: receipt, commitment, notice "
        "or refusal notice.",
    ),
    "wrong_paper_printed": Rule(
        "papers",
        5,
        False,
        "只出具与决定相符的文书；与决定不符的文书会误导申请人。",
        "Print only the papers that fit the decision: a mismatched paper misleads the applicant.",
    ),
    "over_time": Rule(
        "time",
        5,
        False,
        f"考核：须在{EXAM_SECONDS // 60}分钟内完成受理。",
        f"Exam: finish the intake within {EXAM_SECONDS // 60} minutes.",
    ),
}
