"""Statistics per officer: daily figures and the state of their open cases now."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class DayFigures(BaseModel):
    day: dt.date
    officer: str
    received: int  # 收件
    accepted: int  # 受理 and 容缺受理
    notices: int  # one-time notices of missing materials (待补正)
    refused: int  # 不予受理
    delivered: int  # 已送达
    withdrawn: int  # 撤件


class OpenFigures(BaseModel):
    officer: str
    open: int
    warning: int  # 预警
    overdue: int  # 逾期


class StatsOut(BaseModel):
    date_from: dt.date
    date_to: dt.date
    days: list[DayFigures]
    open_now: list[OpenFigures]
