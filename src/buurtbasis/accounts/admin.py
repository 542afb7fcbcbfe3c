from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from buurtbasis.platform.forms import TextSafetyMixin

from .models import User


class UserAddForm(TextSafetyMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)


class UserEditForm(TextSafetyMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users are found and identified by e-mail address; there is no separate username."""

    ordering = ["email"]
    add_form = UserAddForm
    form = UserEditForm
    list_display = [
        "email",
        "display_name",
        "email_verified",
        "is_active",
        "is_staff",
        "date_joined",
    ]
    list_filter = ["email_verified", "is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "display_name", "first_name", "last_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Personal details"),
            {"fields": ("display_name", "first_name", "last_name", "birth_date", "home_area")},
        ),
        (
            _("Permissions"),
            {
                "fields": (
                    "email_verified",
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
