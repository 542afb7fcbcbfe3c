"""Voting in the Django admin (/beheer/): read only.

Voting codes are stored and shown only as keyed hashes (the plain codes exist nowhere
but on the letters). Ballots, codes and paper batches are never added, changed or
deleted here: every change goes through the services, with four eyes and the audit trail.
"""

from django.contrib import admin

from buurtbasis.platform.admin import ReadOnlyAdmin

from .models import Ballot, CodeBatch, PaperBatch, VotingCode


@admin.register(VotingCode)
class VotingCodeAdmin(ReadOnlyAdmin):
    list_display = ("code_hash", "budget_round", "batch", "created_at", "used_at")
    list_filter = ("budget_round",)
    search_fields = ("code_hash",)
    list_select_related = ("budget_round", "batch")
    fields = ("budget_round", "batch", "code_hash", "created_at", "used_at")


@admin.register(CodeBatch)
class CodeBatchAdmin(ReadOnlyAdmin):
    list_display = ("budget_round", "count", "with_addresses", "created_at")
    list_filter = ("budget_round",)
    list_select_related = ("budget_round",)


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ("receipt", "budget_round", "channel", "submitted_at", "times_replaced")
    list_filter = ("budget_round", "channel")
    search_fields = ("receipt",)
    list_select_related = ("budget_round",)
    # who voted is not shown next to a ballot (the account or code is not needed here)
    fields = ("budget_round", "channel", "receipt", "submitted_at", "times_replaced")


@admin.register(PaperBatch)
class PaperBatchAdmin(ReadOnlyAdmin):
    list_display = ("budget_round", "number", "status", "declared_count", "created_at")
    list_filter = ("budget_round", "status")
    list_select_related = ("budget_round",)
