from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "buurtbasis.referrals"
    verbose_name = _("Social map and warm referral")
