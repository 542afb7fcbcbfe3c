"""The shared UI components: one documented tag per building block.

Load with ``{% load ui %}``. Every tag renders a template under ``components/`` in this app, so a
component can be restyled in one place. ``docs/components.md`` lists each one with an example.
The markup uses the class names of the NL Design System community components
(``utrecht-*``, vendored CSS) next to a few ``bb-*`` classes for layout.
"""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

# Widget kinds (BoundField.widget_type) and the NL Design System class each one gets.
_INPUT_CLASSES = {
    "text": "utrecht-textbox utrecht-textbox--html-input",
    "email": "utrecht-textbox utrecht-textbox--html-input",
    "password": "utrecht-textbox utrecht-textbox--html-input utrecht-textbox--password",
    "number": "utrecht-textbox utrecht-textbox--html-input utrecht-textbox--numeric",
    "url": "utrecht-textbox utrecht-textbox--html-input utrecht-textbox--url",
    "date": "utrecht-textbox utrecht-textbox--html-input",
    "datetime": "utrecht-textbox utrecht-textbox--html-input",
    "time": "utrecht-textbox utrecht-textbox--html-input",
    "search": "utrecht-textbox utrecht-textbox--html-input",
    "tel": "utrecht-textbox utrecht-textbox--html-input",
    "decimal": "utrecht-textbox utrecht-textbox--html-input utrecht-textbox--numeric",
    "textarea": "utrecht-textarea utrecht-textarea--html-textarea",
    "select": "utrecht-select utrecht-select--html-select",
    "selectmultiple": "utrecht-select utrecht-select--html-select",
    "nullbooleanselect": "utrecht-select utrecht-select--html-select",
    "checkbox": "utrecht-checkbox utrecht-checkbox--html-input",
    "file": "bb-file-input",
    "clearablefile": "bb-file-input",
}


def field_kind(field: BoundField) -> str:
    """One of ``hidden``, ``checkbox`` (a single box), ``choices`` (radio buttons or a list of
    checkboxes, rendered in a fieldset), ``file`` or ``input`` (everything else)."""
    if field.is_hidden:
        return "hidden"
    if field.widget_type == "checkbox":
        return "checkbox"
    if field.use_fieldset:
        return "choices"
    if field.widget_type in ("file", "clearablefile"):
        return "file"
    return "input"


def field_anchor(field: BoundField) -> str:
    """The id an error summary links to: the input itself, or the first option of a choice list."""
    if not field.auto_id:
        return ""
    if field.use_fieldset:
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


@register.inclusion_tag("components/form_field.html")
def form_field(field: BoundField, hide_label: bool = False, css_class: str = ""):
    """One form field with its label, help text and errors.

    Arguments:
      field       a bound form field (``form.email``); every widget kind works: text inputs,
                  textarea, select, a single checkbox, radio buttons and checkbox lists (rendered
                  as a fieldset with a legend), file inputs and hidden fields.
      hide_label  keep the label for screen readers only (default ``False``).
      css_class   extra classes on the wrapper ``div``.

    The help text gets id ``<id>_helptext`` and the error list ``<id>_error``; Django puts both in
    the input's ``aria-describedby`` and sets ``aria-invalid="true"`` while the field has errors
    (on a choice list the ``fieldset`` carries ``aria-describedby``). Optional fields say so in
    the label.

    Example: ``{% form_field form.email %}``
    """
    kind = field_kind(field)
    attrs = {}
    widget_class = _INPUT_CLASSES.get(field.widget_type, "")
    if not widget_class and kind == "input" and getattr(field.field.widget, "input_type", ""):
        widget_class = _INPUT_CLASSES["text"]  # any other <input>: date-time, colour, custom types
    if widget_class and kind != "choices":
        existing = field.field.widget.attrs.get("class", "")
        attrs["class"] = f"{widget_class} {existing}".strip()
        if field.errors and kind == "input":
            attrs["class"] += " " + widget_class.split()[0] + "--invalid"
    return {
        "field": field,
        "kind": kind,
        "widget": field.as_widget(attrs=attrs) if kind != "hidden" else field.as_hidden(),
        "hide_label": hide_label,
        "css_class": css_class,
        "optional": not field.field.required and kind not in ("checkbox", "hidden"),
    }


def _summary_items(forms, formset, formset_label, formset_anchor, errors, default_anchor):
    items: list[tuple[str, str]] = []
    for key, message in errors or []:
        anchor = key or default_anchor or ""
        items.append((f"#{anchor}" if anchor else "", str(message)))
    for form in forms:
        if form is None or not hasattr(form, "non_field_errors"):
            continue
        items.extend(_form_items(form, prefix=""))
    if formset is not None:
        for error in formset.non_form_errors():
            items.append((f"#{formset_anchor}" if formset_anchor else "", str(error)))
        for number, form in enumerate(formset.forms, start=1):
            label = formset_label or _("Row")
            items.extend(_form_items(form, prefix=f"{label} {number} – "))
    return items


def _form_items(form, prefix: str):
    items = []
    for error in form.non_field_errors():
        items.append(("", f"{prefix}{error}"))
    for field in form:
        for error in field.errors:
            anchor = "" if field.is_hidden else field_anchor(field)
            items.append((f"#{anchor}" if anchor else "", f"{prefix}{field.label}: {error}"))
    return items


@register.inclusion_tag("components/error_summary.html")
def error_summary(
    *forms,
    formset=None,
    formset_label: str = "",
    formset_anchor: str = "",
    errors=None,
    default_anchor: str = "",
    rate_limited: str = "",
    title: str = "",
):
    """The summary of every error at the top of a form, each linking to its field.

    Arguments:
      *forms          zero or more forms (``form``, ``merge_form``); non-field errors are listed
                      as text, field errors link to the field (a choice list: its first option).
      formset         a formset: its non-form errors link to ``formset_anchor``; the errors of its
                      forms are numbered ``<formset_label> <n> – <field>: <error>``.
      formset_label   the word for one form in the formset (default "Row").
      formset_anchor  the id of the element around the formset.
      errors          a list of ``(anchor, message)`` pairs for hand-built forms; an empty anchor
                      links to ``default_anchor`` (no link when that is empty too).
      rate_limited    a message shown first (e.g. "too many attempts").
      title           the heading (default "Something is not right yet").

    Renders nothing when there is nothing to report. The box has ``role="alert"`` and
    ``tabindex="-1"`` so it is announced and can take focus.

    Example::

        {% error_summary form formset=formset formset_label=_("Cost line") formset_anchor="lines" %}
    """
    items = _summary_items(forms, formset, formset_label, formset_anchor, errors, default_anchor)
    if rate_limited:
        items.insert(0, ("", str(rate_limited)))
    return {"items": items, "title": title or _("Something is not right yet")}


@register.inclusion_tag("components/button.html")
def button(
    label,
    variant: str = "primary",
    href: str = "",
    type: str = "submit",  # noqa: A002 - the HTML attribute's name
    name: str = "",
    value: str = "",
    css_class: str = "",
    nojs_only: bool = False,
):
    """A button, or a link that looks like one.

    Arguments:
      label      the visible text.
      variant    ``primary`` (default), ``secondary`` or ``subtle``.
      href       when given, renders ``<a href>`` (navigation) instead of ``<button>`` (action).
      type       ``submit`` (default) or ``button``; ignored for links.
      name, value  sent with the form (e.g. ``name="action" value="review"``).
      css_class  extra classes.
      nojs_only  hide the button when JavaScript runs (a filter form that htmx submits on
                 change keeps its button for browsers without JavaScript).

    Examples: ``{% button _("Save") %}``,
    ``{% button _("Cancel") variant="secondary" href=back_url %}``
    """
    if variant not in ("primary", "secondary", "subtle"):
        raise template.TemplateSyntaxError(f"button: unknown variant {variant!r}")
    return {
        "label": label,
        "variant": "subtle" if variant == "subtle" else f"{variant}-action",
        "href": href,
        "type": type,
        "name": name,
        "value": value,
        "css_class": (css_class + (" bb-nojs-only" if nojs_only else "")).strip(),
    }


@register.inclusion_tag("components/status_badge.html")
def status_badge(label, status: str = "", tone: str = "neutral"):
    """A short status in a coloured badge.

    Arguments:
      label   the text (e.g. ``initiative.get_status_display``).
      status  the status key; adds the class ``status-<key>`` for app-specific colours.
      tone    ``neutral`` (default), ``success``, ``warning``, ``danger`` or ``inactive``.

    Example: ``{% status_badge plan.get_status_display plan.status %}``
    """
    return {"label": label, "status": status, "tone": tone}


@register.inclusion_tag("components/pagination.html", takes_context=True)
def pagination(context, page, param: str = "page", anchor: str = "", label: str = ""):
    """Previous/next links and "Page n of m" for a Django ``Page``; renders nothing for one page.

    Arguments:
      page    the ``Page`` object.
      param   the query parameter for the page number (default ``page``); the other parameters
              of the current address (filters) are kept.
      anchor  an id to jump to after the page loads (e.g. the list's heading).
      label   the navigation's accessible name (default "Pages").

    Example: ``{% pagination page param="pagina" anchor="initiatives-heading" %}``
    """
    request = context.get("request")
    query = request.GET.copy() if request is not None else None

    def link(number):
        if query is None:
            return f"?{param}={number}" + (f"#{anchor}" if anchor else "")
        params = query.copy()
        params[param] = number
        return "?" + params.urlencode() + (f"#{anchor}" if anchor else "")

    return {
        "page": page,
        "previous_url": link(page.previous_page_number()) if page.has_previous() else "",
        "next_url": link(page.next_page_number()) if page.has_next() else "",
        "label": label or _("Pages"),
    }


@register.inclusion_tag("components/empty_state.html")
def empty_state(message, action_label: str = "", action_href: str = ""):
    """What a list shows when it has nothing in it, with an optional next step.

    Arguments:
      message       one sentence that says what is missing and, if it helps, why.
      action_label  the text of a link to the next step (e.g. "Start an initiative").
      action_href   where that link goes.

    Example: ``{% empty_state _("No plans yet.") _("Submit a plan") submit_url %}``
    """
    return {"message": message, "action_label": action_label, "action_href": action_href}


@register.inclusion_tag("components/definition_list.html")
def definition_list(items, css_class: str = ""):
    """Terms and their values (``<dl>``), e.g. the facts about an initiative.

    Arguments:
      items      a list of ``(term, value)`` pairs; pairs with an empty value are left out.
                 Values are escaped; pass ``mark_safe`` HTML only for values you built yourself.
      css_class  extra classes on the ``dl``.

    Example: ``{% definition_list facts %}`` with ``facts = [(_("Budget"), "€ 1.000")]``
    """
    rows = [(term, value) for term, value in items if value not in (None, "")]
    return {"rows": rows, "css_class": css_class}


@register.simple_block_tag
def definition(content, term, lang: str = ""):
    """One term and its value inside ``<dl class="bb-definition-list">``, for values with markup
    (links, badges) written in the template; ``definition_list`` takes plain pairs instead.

    Arguments:
      term  the term (escaped).
      lang  the language of the value when it differs from the page's (e.g. ``nl``).

    Example::

        <dl class="utrecht-data-list bb-definition-list">
          {% definition _("E-mail") %}<a href="mailto:{{ m }}">{{ m }}</a>{% enddefinition %}
        </dl>
    """
    lang_attr = format_html(' lang="{}"', lang) if lang else ""
    return format_html(
        '<div class="utrecht-data-list__item bb-definition-list__item">'
        '<dt class="utrecht-data-list__item-key">{}</dt>'
        '<dd class="utrecht-data-list__item-value"{}>{}</dd></div>',
        term,
        lang_attr,
        content,
    )


@register.simple_block_tag
def card(content, title: str = "", href: str = "", heading_level: int = 3, css_class: str = ""):
    """A card: a bordered block with an optional linked heading; the body is what is between
    ``{% card %}`` and ``{% endcard %}``. Put cards in a ``<ul class="bb-card-list">`` as ``<li>``.

    Arguments:
      title          the heading text (escaped).
      href           makes the heading a link.
      heading_level  2–4, default 3: choose the level that fits the page's outline.
      css_class      extra classes on the card.

    Example::

        <li>{% card title=plan.title href=plan_url %}<p>{{ plan.summary }}</p>{% endcard %}</li>
    """
    level = min(max(int(heading_level), 2), 4)
    heading = ""
    if title:
        inner = format_html('<a href="{}">{}</a>', href, title) if href else escape(title)
        heading = format_html('<h{} class="bb-card__title">{}</h{}>', level, inner, level)
    return format_html('<div class="bb-card card {}">{}{}</div>', css_class, heading, content)


@register.simple_block_tag
def table(content, caption: str, caption_hidden: bool = False, css_class: str = ""):
    """A data table with a caption inside a responsive wrapper: on a phone the table scrolls
    sideways inside the wrapper (which takes keyboard focus, so it can be scrolled without a
    mouse); on a desktop it takes the full width and is never cut off.

    Arguments:
      caption         the table's caption (required: it names the table and the scroll region).
      caption_hidden  keep the caption for screen readers only.
      css_class       extra classes on the ``table``.

    The body (between ``{% table %}`` and ``{% endtable %}``) is the ``thead``/``tbody`` markup;
    give number cells ``class="num"``.

    Example: ``{% table caption=_("Cost lines") %}<thead>…</thead><tbody>…</tbody>{% endtable %}``
    """
    caption_class = mark_safe(' class="visually-hidden"') if caption_hidden else ""
    return format_html(
        '<div class="bb-table-wrap utrecht-table-container" role="region" tabindex="0" '
        'aria-label="{}"><table class="utrecht-table utrecht-table--html-table {}">'
        "<caption{}>{}</caption>{}</table></div>",
        caption,
        css_class,
        caption_class,
        caption,
        content,
    )
