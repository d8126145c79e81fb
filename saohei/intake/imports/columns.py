"""The columns of a report spreadsheet, the channel names it may use, and the limits."""

from __future__ import annotations

import re
from dataclasses import dataclass

from saohei.intake.choices import Channel


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong type, corrupt, empty, missing columns, too big."""


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    required: bool
    max_length: int = 0


COLUMNS = [
    Column("channel", "渠道", "channel", True),
    Column("received_at", "接收时间", "received_at", True),
    Column("jurisdiction", "行政区划代码", "jurisdiction", False),
    Column("subject", "标题", "subject", True, 200),
    Column("content", "内容", "content", True),
    Column("place", "地点", "place", False, 200),
    Column("source_reference", "来源编号", "source_reference", False, 80),
    Column("reporter_name", "举报人姓名", "reporter_name", False, 80),
    Column("reporter_contact", "联系方式", "reporter_contact", False, 120),
    Column("reporter_id_number", "身份证号", "reporter_id_number", False, 18),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}

# Chinese names a spreadsheet may use for a channel, besides the code and the interface labels.
CHANNEL_ALIASES: dict[str, str] = {
    "门户网站": Channel.PORTAL,
    "网上举报": Channel.PORTAL,
    "网络举报": Channel.PORTAL,
    "12337": Channel.HOTLINE,
    "12337热线": Channel.HOTLINE,
    "热线": Channel.HOTLINE,
    "举报电话": Channel.HOTLINE,
    "电话": Channel.HOTLINE,
    "12337举报热线": Channel.HOTLINE,
    "来信": Channel.LETTER,
    "信件": Channel.LETTER,
    "信函": Channel.LETTER,
    "来访": Channel.VISIT,
    "走访": Channel.VISIT,
    "当面举报": Channel.VISIT,
    "电子邮件": Channel.EMAIL,
    "邮件": Channel.EMAIL,
    "email": Channel.EMAIL,
    "e-mail": Channel.EMAIL,
    "微信": Channel.WECHAT,
    "110": Channel.INCIDENT_110,
    "110警情": Channel.INCIDENT_110,
    "警情": Channel.INCIDENT_110,
    "上级交办": Channel.HIGHER_REFERRAL,
    "交办": Channel.HIGHER_REFERRAL,
    "移送": Channel.UNIT_TRANSFER,
    "部门移送": Channel.UNIT_TRANSFER,
    "单位移送": Channel.UNIT_TRANSFER,
    "排摸": Channel.SCREENING,
    "摸排": Channel.SCREENING,
    "排查": Channel.SCREENING,
    "案件深挖": Channel.CASE_SPINOFF,
    "深挖": Channel.CASE_SPINOFF,
}
# The Chinese name the template lists for each channel.
CHANNEL_ZH: dict[str, str] = {
    Channel.PORTAL: "网上举报",
    Channel.HOTLINE: "12337举报热线",
    Channel.LETTER: "来信",
    Channel.VISIT: "来访",
    Channel.EMAIL: "电子邮件",
    Channel.WECHAT: "微信",
    Channel.INCIDENT_110: "110警情",
    Channel.HIGHER_REFERRAL: "上级交办",
    Channel.UNIT_TRANSFER: "部门移送",
    Channel.SCREENING: "排摸",
    Channel.CASE_SPINOFF: "案件深挖",
}
IMPORTABLE_CHANNELS = {c.value for c in Channel if c != Channel.PORTAL}
ID_NUMBER_RE = re.compile(r"^(\d{15}|\d{17}[\dX])$")
DATE_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H:%M",
    "%Y年%m月%d日 %H时%M分",
    "%Y年%m月%d日",
]
MAX_STORED_ERRORS = 2000
XLSX_MAGIC = b"PK\x03\x04"
