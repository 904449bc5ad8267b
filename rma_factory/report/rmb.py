"""Amounts in Chinese capitals (人民币大写), as the approval sheet's total is written by hand.

A pure function, so that printing needs neither ``l10n_cn`` nor another library."""
from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
# Inside a group of four digits, and the name of each group of four.
POSITIONS = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿", "万亿")


def rmb_in_capitals(amount):
    """1280.5 → 壹仟贰佰捌拾元伍角; 10010.05 → 壹万零壹拾元零伍分; rounded to the fen."""
    fen_total = int((Decimal(str(abs(amount or 0))) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    yuan, cents = divmod(fen_total, 100)
    jiao, fen = divmod(cents, 10)
    text = f"{_integer_in_capitals(yuan)}元" if yuan else ""
    if not cents:
        text = f"{text or '零元'}整"
    else:
        if jiao:
            text += f"{DIGITS[jiao]}角"
        elif yuan:
            text += "零"
        # The payment rules write 整 after 元, not after 角 (中国人民银行《支付结算办法》).
        if fen:
            text += f"{DIGITS[fen]}分"
    return f"负{text}" if amount and amount < 0 else text


def _integer_in_capitals(number):
    groups = []
    while number:
        number, group = divmod(number, 10000)
        groups.append(group)
    text = ""
    skipped_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            skipped_zero = bool(text)
            continue
        # A gap (a zero group, or a group under a thousand after a higher one) is read as 零.
        if text and (skipped_zero or group < 1000):
            text += "零"
        text += _group_in_capitals(group) + GROUPS[index]
        skipped_zero = False
    return text


def _group_in_capitals(group):
    text = ""
    pending_zero = False
    for position in range(3, -1, -1):
        digit = group // 10 ** position % 10
        if not digit:
            pending_zero = bool(text)
            continue
        if pending_zero:
            text += "零"
        text += DIGITS[digit] + POSITIONS[position]
        pending_zero = False
    return text
