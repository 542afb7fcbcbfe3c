from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: The append-only ledger (triggers: migrations 0002 and 0007), entries before transactions.
LEDGER_TABLES = ["hosting_ledgerentry", "hosting_ledgertransaction"]
#: Rows that refer to ledger transactions (an expense to its payment), emptied first when
#: the test suite empties the ledger, in this order: SQLite checks foreign keys at commit.
LEDGER_REFERRING = [
    "hosting.Grant.paid_in_line",  # the bank line that brought a grant's money in
    "hosting.BankLine",
    "hosting.BankStatement",
    "hosting.PayoutItem",
    "hosting.PayoutBatch",
    "hosting.ExpenseEvent",
    "hosting.ExpenseApproval",
    "hosting.Expense",
]


class HostingConfig(AppConfig):
    name = "buurtbasis.hosting"
    verbose_name = _("Fiscal hosting")

    def ready(self):
        from buurtbasis.platform.blocks import register_block
        from buurtbasis.platform.notifications import register_kind
        from buurtbasis.platform.privacy import register_eraser, register_exporter

        from . import blocks, privacy, receivers  # noqa: F401  (receivers connect on import)

        folder = "hosting/notifications/"
        for key, label in [
            (
                "agreement",
                _("The fiscal hosting of my initiative or of an initiative we host changes"),
            ),
        ]:
            register_kind(
                f"hosting.{key}_changed",
                label=label,
                subject=f"{folder}{key}_subject.txt",
                text=f"{folder}{key}_body.txt",
                line=f"{folder}{key}_line.txt",
            )
        register_exporter("hosting", privacy.export_hosting)
        register_eraser("hosting", privacy.erase_hosting)
        from . import privacy_expenses

        register_exporter("hosting_expenses", privacy_expenses.export_expenses)
        register_eraser("hosting_expenses", privacy_expenses.erase_expenses)

        register_block(
            "plan",
            key="hosting.plan_money",
            template="hosting/_plan_money.html",
            context=blocks.plan_money_block,
            order=50,
        )
        register_block(
            "dashboard",
            key="hosting.money",
            template="hosting/_dashboard.html",
            context=blocks.dashboard_block,
            order=45,
        )
        register_block(
            "initiative",
            key="hosting.initiative",
            template="hosting/_initiative_block.html",
            context=blocks.initiative_block,
            order=50,
        )
        register_block(
            "organisation",
            key="hosting.host_overview",
            template="hosting/_organisation_block.html",
            context=blocks.organisation_block,
            order=60,
        )
        register_kind(
            "hosting.grant_withdrawn",
            label=_("A recount withdraws or restores a grant of my initiative or of one we host"),
            subject="hosting/notifications/grant_withdrawn_subject.txt",
            text="hosting/notifications/grant_withdrawn_body.txt",
            line="hosting/notifications/grant_withdrawn_line.txt",
        )
        register_kind(
            "hosting.expense_changed",
            label=_("An expense I submitted or must check changes"),
            subject="hosting/notifications/expense_changed_subject.txt",
            text="hosting/notifications/expense_changed_body.txt",
            line="hosting/notifications/expense_changed_line.txt",
        )
        from . import blocks_finance

        register_block(
            "dashboard",
            key="hosting.finance_work",
            template="hosting/_finance_block.html",
            context=blocks_finance.finance_block,
            order=44,
        )
        from . import accountability

        register_block(
            "dashboard",
            key="hosting.municipality_report",
            template="hosting/reports/_municipality_block.html",
            context=accountability.municipality_block,
            order=46,
        )
        from . import fund

        fund.register()  # the initiatives fund: notification kinds, privacy, dashboard block
        from buurtbasis.platform.append_only import register_append_only

        register_append_only(
            "hosting", what="ledger", tables=LEDGER_TABLES, referring=LEDGER_REFERRING
        )
