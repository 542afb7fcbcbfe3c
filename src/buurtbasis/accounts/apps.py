from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "buurtbasis.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from buurtbasis.platform.notifications import register_kind

        from . import privacy

        privacy.register_builtin()
        # Account mails carry secret links: mail-only (nothing kept in the list) and
        # required (always sent at once, whatever the person's preferences).
        for key, label, subject, text in [
            (
                "accounts.verify_email",
                _("Confirm your e-mail address"),
                "verify_subject.txt",
                "verify_body.txt",
            ),
            (
                "accounts.email_change",
                _("Confirm a new e-mail address"),
                "change_subject.txt",
                "change_body.txt",
            ),
            (
                "accounts.email_change_notice",
                _("Notice that the e-mail address is being changed"),
                "change_subject.txt",
                "change_notice_body.txt",
            ),
            (
                "accounts.password_reset",
                _("Choose a new password"),
                "password_reset_subject.txt",
                "password_reset_body.txt",
            ),
        ]:
            register_kind(
                key,
                label=label,
                subject=f"accounts/email/{subject}",
                text=f"accounts/email/{text}",
                required=True,
            )
