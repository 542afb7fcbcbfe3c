import pytest
from django.db import connection

from buurtbasis.ballots import codes, services
from buurtbasis.ballots.models import CodeBatch, VotingCode
from buurtbasis.platform.models import AuditEvent

from .factories import voting_round

pytestmark = pytest.mark.django_db


def test_it_returns_distinct_readable_codes_with_at_least_60_bits():
    budget_round, _plans = voting_round()
    plain = services.generate_codes(budget_round, 200)
    assert len(plain) == len(set(plain)) == 200
    assert codes.CODE_BITS >= 60
    assert len(codes.ALPHABET) ** codes.CODE_LENGTH >= 2**60
    for code in plain:
        assert codes.normalise_code(code) is not None
        assert len(code) == 14 and code[4] == code[9] == "-"
        assert not set(code) & set("ILOU")


def test_it_stores_only_hashes():
    budget_round, _plans = voting_round()
    plain = services.generate_codes(budget_round, 20)
    stored = list(VotingCode.objects.values_list("code_hash", flat=True))
    assert len(stored) == 20
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM ballots_votingcode")
        dump = repr(cursor.fetchall())
    for code in plain:
        assert code not in dump
        assert codes.normalise_code(code) not in dump
    assert all(len(h) == 64 for h in stored)


def test_it_finds_a_code_by_its_hash_forgivingly():
    budget_round, _plans = voting_round()
    (code,) = services.generate_codes(budget_round, 1)
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert services.find_voting_code(budget_round, typed) == VotingCode.objects.get()
    assert services.find_voting_code(budget_round, "0000-0000-0000") is None
    other_round, _ = voting_round()
    assert services.find_voting_code(other_round, code) is None


def test_it_keeps_codes_working_after_the_secret_key_is_rotated(settings):
    budget_round, _plans = voting_round()
    (code,) = services.generate_codes(budget_round, 1)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-brand-new-secret-key-for-the-test"
    assert services.find_voting_code(budget_round, code) is None
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert services.find_voting_code(budget_round, code) is not None


def test_it_makes_many_codes_in_a_few_queries(django_assert_max_num_queries):
    budget_round, _plans = voting_round()
    # bulk inserts: SQLite takes a few hundred rows per statement, PostgreSQL 2000
    with django_assert_max_num_queries(50):
        plain = services.generate_codes(budget_round, 5000)
    assert VotingCode.objects.filter(budget_round=budget_round).count() == len(plain) == 5000


def test_it_records_the_generation_in_the_audit_trail():
    budget_round, _plans = voting_round()
    services.generate_codes(budget_round, 3)
    event = AuditEvent.objects.get(action="ballots.codes_generated")
    assert event.details["count"] == 3
    assert CodeBatch.objects.get().count == 3


def test_it_refuses_an_impossible_number():
    budget_round, _plans = voting_round()
    with pytest.raises(services.VotingError):
        services.generate_codes(budget_round, 0)
    assert VotingCode.objects.count() == 0


def test_it_adds_known_demo_codes_once():
    budget_round, _plans = voting_round()
    demo = ["DEM0-2026-0001", "DEM0-2026-0002"]
    assert services.add_known_codes(budget_round=budget_round, plain_codes=demo) == 2
    assert services.add_known_codes(budget_round=budget_round, plain_codes=demo) == 0
    assert services.find_voting_code(budget_round, "dem0 2026 0002") is not None
    with pytest.raises(ValueError):
        services.add_known_codes(budget_round=budget_round, plain_codes=["not-a-code"])
