"""Tests of the volunteer-allowance limits and check."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from buurtcore.allowances import (
    LIMITS,
    AllowanceError,
    AllowancePayment,
    DeclaredAmount,
    UnknownYearError,
    YearLimits,
    check_allowance,
    limits_for,
)


def test_table_matches_the_published_figures():
    assert (
        LIMITS[2025].hourly_adult_cents,
        LIMITS[2025].hourly_young_cents,
        LIMITS[2025].monthly_cents,
        LIMITS[2025].yearly_cents,
    ) == (560, 330, 21_000, 210_000)
    assert (
        LIMITS[2026].hourly_adult_cents,
        LIMITS[2026].hourly_young_cents,
        LIMITS[2026].monthly_cents,
        LIMITS[2026].yearly_cents,
    ) == (575, 340, 22_000, 220_000)
    for row in LIMITS.values():
        assert "Belastingdienst" in row.source
    assert "b1441fc3-ef00-46f0-868a-92ecb4e3b895" in LIMITS[2026].source


def test_unknown_year_is_a_clear_error():
    with pytest.raises(UnknownYearError) as exc:
        check_allowance([], AllowancePayment(date(2027, 1, 1), 100))
    assert "2027" in exc.value.message and "2025, 2026" in exc.value.message
    assert "vrijwilligersvergoeding in 2027" in exc.value.message_nl
    with pytest.raises(UnknownYearError):
        limits_for(2024)


def test_history_in_an_unknown_year_does_not_matter():
    old = [AllowancePayment(date(2019, 5, 1), 99_999)]
    assert not check_allowance(old, AllowancePayment(date(2026, 5, 1), 100)).exceeded


def test_exactly_at_the_limits_is_allowed_one_cent_more_is_not():
    at = check_allowance(
        [], AllowancePayment(date(2026, 4, 30), 22_000, hours=Fraction(22_000, 575))
    )
    assert not at.exceeded and at.month.remaining_cents == 0 and at.hour.over_by_cents == 0
    over = check_allowance([], AllowancePayment(date(2026, 4, 30), 22_001))
    assert over.month.exceeded and over.month.over_by_cents == 1 and over.taxable
    assert not over.year.exceeded


def test_month_boundaries():
    history = [AllowancePayment(date(2026, 1, 31), 20_000)]
    feb = check_allowance(history, AllowancePayment(date(2026, 2, 1), 20_000))
    assert feb.month.period == "2026-02" and feb.month.total_cents == 20_000 and not feb.exceeded
    jan = check_allowance(history, AllowancePayment(date(2026, 1, 1), 2_001))
    assert jan.month.total_cents == 22_001 and jan.month.over_by_cents == 1


def test_year_boundaries_use_each_years_table():
    history = [AllowancePayment(date(2025, 12, 31), 21_000)]
    new = AllowancePayment(date(2026, 1, 1), 21_500)
    result = check_allowance(history, new)
    assert result.limits.year == 2026
    assert result.year.total_cents == 21_500 and not result.exceeded  # 2025 does not count
    # The same amount in 2025 is over the 2025 monthly limit of € 210.
    late = check_allowance([], AllowancePayment(date(2025, 12, 31), 21_500))
    assert late.month.over_by_cents == 500 and late.limits.year == 2025


def test_year_limit_over_while_every_month_is_within():
    history = [AllowancePayment(date(2026, m, 15), 20_000) for m in range(1, 12)]  # € 2,200
    result = check_allowance(history, AllowancePayment(date(2026, 12, 1), 100))
    assert not result.month.exceeded
    assert result.year.exceeded and result.year.over_by_cents == 100
    assert result.taxable and result.months_over == ()
    assert "Dan is de hele vergoeding belast" in result.explanation_nl
    assert "whole allowance is taxed" in result.explanation_en


def test_an_earlier_month_over_is_reported():
    history = [AllowancePayment(date(2026, 3, 3), 30_000)]
    result = check_allowance(history, AllowancePayment(date(2026, 6, 1), 1_000))
    assert not result.month.exceeded and not result.year.exceeded
    assert result.months_over == ("2026-03",) and result.taxable
    assert "Ook in maart 2026 kreeg de vrijwilliger al meer dan de grens per maand." in (
        result.explanation_nl
    )
    assert "In March 2026 the volunteer already received" in result.explanation_en


def test_declared_amounts_from_elsewhere_count():
    declared = [DeclaredAmount(date(2026, 9, 1), 15_000, "sportclub")]
    result = check_allowance([], AllowancePayment(date(2026, 9, 20), 8_000), declared=declared)
    assert result.month.total_cents == 23_000 and result.month.over_by_cents == 1_000


def test_hourly_guide_figure_by_age():
    adult = check_allowance([], AllowancePayment(date(2026, 2, 2), 6_000, hours=10, age=21))
    assert adult.hour.rate_cents == 575 and adult.hour.over_by_cents == 250
    assert adult.hour.exceeded and not adult.taxable and adult.exceeded
    assert "van 21 jaar en ouder is € 5,75 per uur" in adult.hour.explanation_nl
    assert "Dat is € 2,50 te veel." in adult.hour.explanation_nl
    assert "richtbedrag" in adult.explanation_nl
    young = check_allowance([], AllowancePayment(date(2026, 2, 2), 3_400, hours="10", age=20))
    assert young.hour.rate_cents == 340 and not young.hour.exceeded
    assert "onder 21 jaar" in young.hour.explanation_nl
    half = check_allowance(
        [], AllowancePayment(date(2026, 2, 2), 863, hours=Decimal("1.5"), age=30)
    )
    assert half.hour.limit_cents == 862 and half.hour.over_by_cents == 1  # 862.5 allowed
    assert "1,5 uur" in half.hour.explanation_nl and "1.5 hours" in half.hour.explanation_en
    unknown_age = check_allowance([], AllowancePayment(date(2026, 2, 2), 575, hours=1))
    assert "leeftijd is niet bekend" in unknown_age.hour.explanation_nl


def test_unknown_hours_are_not_checked_but_said():
    result = check_allowance([], AllowancePayment(date(2026, 2, 2), 5_000))
    assert not result.hour.applies and not result.hour.exceeded
    assert result.explanation_nl.startswith("Het aantal uren is niet bekend.")
    assert result.explanation_nl.endswith("Deze betaling blijft binnen alle grenzen.")


def test_month_explanation_in_plain_dutch_and_english():
    history = [AllowancePayment(date(2026, 3, 2), 15_000)]
    result = check_allowance(history, AllowancePayment(date(2026, 3, 20), 10_000))
    assert result.month.explanation_nl == (
        "Met deze betaling krijgt de vrijwilliger in maart 2026 in totaal € 250,00. "
        "De grens is € 220,00 per maand. Dat is € 30,00 te veel."
    )
    assert result.month.explanation_en == (
        "With this payment the volunteer receives €250.00 in total in March 2026. "
        "The limit is €220.00 a month. That is €30.00 too much."
    )
    assert "Let op: komt de vrijwilliger in één maand boven de grens" in result.explanation_nl
    for text in (result.explanation_nl, result.month.explanation_nl):
        assert " je " not in f" {text} " and " jij " not in f" {text} "
    data = result.as_dict()
    assert data["taxable"] is True and data["checks"]["month"]["over_by_cents"] == 3_000


@pytest.mark.parametrize(
    "kwargs",
    [
        {"amount_cents": 0},
        {"amount_cents": -5},
        {"amount_cents": 12.5},
        {"amount_cents": True},
        {"amount_cents": 100, "hours": -1},
        {"amount_cents": 100, "hours": "veel"},
        {"amount_cents": 100, "age": -3},
        {"amount_cents": 100, "age": "20"},
    ],
)
def test_bad_input_is_refused_with_a_message(kwargs):
    with pytest.raises(AllowanceError) as exc:
        AllowancePayment(date(2026, 1, 1), **kwargs)
    assert exc.value.message and exc.value.message_nl


def test_custom_table():
    table = {2030: YearLimits(2030, 600, 400, 100, 1000, source="test")}
    assert check_allowance([], AllowancePayment(date(2030, 1, 1), 101), table=table).month.exceeded


# --------------------------------------------------------------------------- properties

DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))
AMOUNTS = st.integers(1, 40_000)


@st.composite
def payments(draw):
    return AllowancePayment(
        draw(DAYS),
        draw(AMOUNTS),
        hours=draw(st.none() | st.fractions(min_value=0, max_value=80, max_denominator=4)),
        age=draw(st.none() | st.integers(14, 90)),
    )


def degree(result):
    return (
        result.month.over_by_cents,
        result.year.over_by_cents,
        result.hour.over_by_cents,
        len(result.months_over),
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(payments(), max_size=30), payments(), payments(), st.booleans())
def test_adding_a_payment_never_makes_a_limit_less_exceeded(history, new, extra, as_declared):
    before = check_allowance(history, new)
    if as_declared:
        after = check_allowance(
            history, new, declared=[DeclaredAmount(extra.day, extra.amount_cents)]
        )
    else:
        after = check_allowance([*history, extra], new)
    for b, a in zip(degree(before), degree(after), strict=True):
        assert a >= b
    assert set(before.months_over) <= set(after.months_over)
    assert after.exceeded or not before.exceeded
    assert after.taxable or not before.taxable
    for b, a in zip(before.checks, after.checks, strict=True):
        assert a.total_cents >= b.total_cents
        assert a.remaining_cents <= b.remaining_cents


@settings(max_examples=150, deadline=None)
@given(st.lists(payments(), max_size=30), payments())
def test_totals_are_exact_sums(history, new):
    result = check_allowance(history, new)
    same_month = [
        p for p in [*history, new] if (p.day.year, p.day.month) == (new.day.year, new.day.month)
    ]
    same_year = [p for p in [*history, new] if p.day.year == new.day.year]
    assert result.month.total_cents == sum(p.amount_cents for p in same_month)
    assert result.year.total_cents == sum(p.amount_cents for p in same_year)
    for check in result.checks:
        if check.applies:
            assert check.exceeded == (check.over_by_cents > 0)
            assert check.over_by_cents == 0 or check.remaining_cents == 0
    assert result.month.over_by_cents == max(
        0, result.month.total_cents - result.limits.monthly_cents
    )
    assert result.taxable == (bool(result.months_over) or result.year.exceeded)
    assert result.explanation_nl and result.explanation_en


@given(payments(), st.integers(0, 400))
def test_order_of_history_does_not_matter(new, shift):
    history = [
        AllowancePayment(new.day - timedelta(days=d), 1_000 + d) for d in range(0, shift, 37)
    ]
    assert degree(check_allowance(history, new)) == degree(check_allowance(history[::-1], new))
