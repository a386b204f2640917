"""出件 by keys on the real App: a stranger's ID number refused with the reason, then the
same person recorded as a delegate with a power of attorney; the agent collecting; a
result mailed. The case is delivered (through ready for issuance) and the delivery
receipt printed."""

from __future__ import annotations

from counterdesk.domain.cases import Case
from counterdesk.screens.case import CaseScreen
from counterdesk.screens.issuance import IssuanceScreen
from tests.tui.case_seeds import (
    AGENT_ID,
    DELEGATE_ID,
    department_decides,
    open_case,
    seeded,
    with_agent,
)
from tests.tui.harness import (
    NOW,
    PERSON,
    InstantPrinter,
    make_app,
    paste_text,
    screen_text,
    signed_in_standalone,
    store_of,
    wait_for,
)


async def open_issuance(pilot, applicant: str) -> IssuanceScreen:
    app = pilot.app
    case_screen = await open_case(pilot, applicant)
    assert case_screen.check_action("issue", ()) is True
    await pilot.press("f4")
    await wait_for(pilot, lambda: isinstance(app.screen, IssuanceScreen))
    return app.screen


def delivered(app, case_id: str) -> Case | None:
    doc = store_of(app).get(case_id)
    return Case.model_validate(doc) if doc and doc["state"] == "delivered" else None


async def test_a_stranger_is_refused_with_the_reason_then_collects_as_a_delegate() -> None:
    settings = signed_in_standalone()
    [doc] = seeded(
        settings, [{"at": NOW, "name": "张出件", "code": "SCJG-GT-001", "outcome": "accept"}]
    )
    department_decides(settings, doc["id"], approve=True, text="准予登记")
    printer = InstantPrinter()
    app = make_app(settings, printer=printer)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_issuance(pilot, "张出件")
        assert "准予登记" in screen_text(app)
        await paste_text(pilot, DELEGATE_ID)  # someone else's ID card
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, IssuanceScreen)  # refused: nothing saved
        await wait_for(pilot, lambda: "授权委托书" in screen_text(app))  # the reason shown
        assert store_of(app).get(doc["id"])["state"] == "approved"

        await pilot.press("f4")  # a delegate with the applicant's power of attorney
        await wait_for(pilot, lambda: app.focused.id == "delegate_name")
        await paste_text(pilot, "赵受托")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.focused.id == "power_of_attorney")
        await paste_text(pilot, "y")
        await pilot.press("enter")  # the last entry: hand over
        await wait_for(pilot, lambda: delivered(app, doc["id"]))
        case = delivered(app, doc["id"])
        assert case.issuance.method == "pickup" and case.issuance.delegate
        assert case.issuance.collector_name == "赵受托"
        assert case.issuance.collector_id == DELEGATE_ID
        assert [e.state_to.value for e in case.timeline][-2:] == ["ready_for_issuance", "delivered"]
        moves = [
            row["op"]["payload"]["to"]
            for row in store_of(app).outbox_of_case(doc["id"])
            if row["op"]["kind"] == "transition"
        ]
        assert moves[-2:] == ["ready_for_issuance", "delivered"]  # offline-first: they wait
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen))
        await wait_for(
            pilot, lambda: any("delivery" in t for t, _q, _s in printer.printed), timeout=30
        )
        await wait_for(
            pilot,
            lambda: any(p["doc"] == "delivery" for p in store_of(app).get(doc["id"])["prints"]),
            timeout=30,
        )
        assert "case.deliver" in [e["action"] for e in store_of(app).audit_entries()]
        app.close_services()


async def test_the_applicant_or_the_agent_collects_with_their_own_id() -> None:
    settings = signed_in_standalone()
    docs = seeded(
        settings,
        [
            {"at": NOW, "name": "王本人", "code": "SCJG-GT-001", "outcome": "accept"},
            {"at": NOW, "name": "陈代办", "code": "SCJG-GT-001", "outcome": "accept"},
        ],
    )
    mine, agents = docs
    department_decides(settings, mine["id"])
    with_agent(settings, agents["id"])
    department_decides(settings, agents["id"], approve=False, text="经营范围不符合规定")
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_issuance(pilot, "王本人")
        await paste_text(pilot, PERSON["id_number"])
        await wait_for(pilot, lambda: "申请人本人" in screen_text(app))  # who, as typed
        await pilot.press("f7")
        await wait_for(pilot, lambda: delivered(app, mine["id"]))
        assert delivered(app, mine["id"]).issuance.collector_name == "王本人"
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen))
        await pilot.press("escape")

        await open_issuance(pilot, "陈代办")  # a rejection is handed over too
        assert "经营范围不符合规定" in screen_text(app)
        await paste_text(pilot, AGENT_ID)
        await wait_for(pilot, lambda: "代办人" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: delivered(app, agents["id"]))
        issuance = delivered(app, agents["id"]).issuance
        assert issuance.collector_name == "李代办" and not issuance.delegate
        app.close_services()


async def test_a_result_is_mailed_with_courier_and_tracking_number() -> None:
    settings = signed_in_standalone()
    [doc] = seeded(
        settings, [{"at": NOW, "name": "刘邮寄", "code": "SCJG-GT-001", "outcome": "accept"}]
    )
    department_decides(settings, doc["id"])
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_issuance(pilot, "刘邮寄")
        await pilot.press("f3")  # by mail
        await wait_for(pilot, lambda: app.focused.id == "address")
        await pilot.press("f7")  # nothing filled in: refused, each entry says why
        await pilot.pause()
        assert isinstance(app.screen, IssuanceScreen)
        await wait_for(pilot, lambda: "请填写邮寄地址" in screen_text(app))
        for text in ("浙江省嘉兴市南湖区中环南路1号", "中国邮政EMS", "EMS1234567890CN"):
            await paste_text(pilot, text)
            await pilot.press("enter")
        await wait_for(pilot, lambda: delivered(app, doc["id"]))
        issuance = delivered(app, doc["id"]).issuance
        assert (issuance.method, issuance.courier, issuance.tracking_number) == (
            "mail",
            "中国邮政EMS",
            "EMS1234567890CN",
        )
        assert issuance.address == "浙江省嘉兴市南湖区中环南路1号"
        app.close_services()
